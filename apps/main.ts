import { synthAtomically } from './app';
import { settingsFromEnv } from './settings';

// `cdk8s synth` runs this file and tells it where to write through CDK8S_OUTDIR.
try {
  const { files, warnings } = synthAtomically(process.env.CDK8S_OUTDIR ?? 'dist', settingsFromEnv(process.env));
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  process.stderr.write(`wrote ${files.length} manifests: ${files.join(', ')}\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
