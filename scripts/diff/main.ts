/**
 * `npm run diff -- --base <ref>`: what the working tree changes in the rendered manifests
 * (dist/) and the cdktf stacks (cdktf.out/) against a git ref, object by object and resource by
 * resource, with Secret data and sensitive stack values shown as changed or unchanged only.
 *
 *   npm run diff -- --base HEAD~1                    text for a terminal
 *   npm run diff -- --base origin/main --format markdown   a pull-request comment
 *   npm run diff -- --base main --exit-code          exit 1 when something changed
 *
 * Exit codes: 0 (no change, or changes without --exit-code), 1 (changes with --exit-code),
 * 2 (a bad option or ref, or a side that does not synthesize).
 */
import { parseArgs } from 'node:util';
import { renderMarkdown, renderText } from './render';
import { DiffError, diffAgainst } from './run';

const USAGE = 'usage: npm run diff -- --base <git ref> [--format text|markdown] [--exit-code]';

async function main(argv: string[]): Promise<number> {
  let values: { base?: string; format?: string; 'exit-code'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        base: { type: 'string' },
        format: { type: 'string', default: 'text' },
        'exit-code': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`diff: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.base) {
    process.stderr.write(`diff: --base is required: the git ref to compare the working tree with\n${USAGE}\n`);
    return 2;
  }
  if (values.format !== 'text' && values.format !== 'markdown') {
    process.stderr.write(`diff: --format ${JSON.stringify(values.format)} must be "text" or "markdown"\n`);
    return 2;
  }
  try {
    const { changes, sides } = await diffAgainst({ base: values.base });
    process.stdout.write(values.format === 'markdown' ? renderMarkdown(changes, sides) : renderText(changes, sides));
    return values['exit-code'] && changes.length > 0 ? 1 : 0;
  } catch (e) {
    if (!(e instanceof DiffError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`diff failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
