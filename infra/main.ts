import { App } from 'cdktf';
import { configFromEnv } from './config';
import { buildInfra } from './stacks';

// `cdktf synth` / `cdktf deploy` run this file (cdktf.json "app"). Settings come from the
// environment or cdktf.json "context"; a bad one stops here, before anything is written.
const app = new App();
try {
  buildInfra(app, configFromEnv(process.env, (key) => app.node.tryGetContext(key)));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
app.synth();
