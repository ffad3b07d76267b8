import { App } from 'cdktf';
import { configFromEnv, configNotes } from './config';
import { buildInfra } from './stacks';

// `cdktf synth` / `cdktf deploy` run this file (cdktf.json "app"). Settings come from the
// environment or cdktf.json "context"; a bad one stops here, before anything is written.
const app = new App();
try {
  const config = configFromEnv(process.env, (key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext()));
  for (const note of configNotes(config)) process.stderr.write(`note: ${note}\n`);
  buildInfra(app, config);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
app.synth();
