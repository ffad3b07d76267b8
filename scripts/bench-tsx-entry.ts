// For scripts/bench.ts only: the apps run the way they ran before the one-process synth, from
// TypeScript transpiled by tsx in every process the CLIs start, to compare with `npm run synth`.
import { main } from '../apps/synth';

process.exitCode = main(process.argv.slice(2));
