/**
 * A jest setup file (`npm test`): loads the large libraries the suites share before source maps
 * are on, then turns them on for the project's own TypeScript (tsx adds an inline map to each
 * file it loads), so that a failure points at the test's own line.
 *
 * Node.js parses and keeps the source map of every module it loads while maps are on, and maps
 * each frame of every stack trace it formats through them. Loaded first, cdktf, cdk8s and
 * cdk8s-plus keep no maps. Frames in those libraries stay unmapped, as jest's reports leave them
 * out anyway.
 */
process.setSourceMapsEnabled(false);
for (const library of ['constructs', 'cdk8s', 'cdk8s-plus-27', 'cdktf'])
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for their side effect only
  require(library);
process.setSourceMapsEnabled(true);
