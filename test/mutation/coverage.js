'use strict';
// Stays JavaScript: required by ./environment.js and ./filter.js, which Node loads untransformed.
// Which test files cover which mutant, measured in StrykerJS's dry run (./environment.js) and
// read by its mutant runs (./filter.js). Kept in a file in the sandbox because the mutant runs
// happen in other processes.
const fs = require('node:fs');
const path = require('node:path');

const FILE = path.join(process.cwd(), '.stryker-test-files.json');
const files = new Map();

/** Records that the test file `testPath` covers the mutants `ids`. */
function record(testPath, ids) {
  for (const id of ids) {
    if (!files.has(id)) files.set(id, new Set());
    files.get(id).add(testPath);
  }
  const out = {};
  for (const [id, paths] of files) out[id] = [...paths];
  fs.writeFileSync(FILE, JSON.stringify(out));
}

let read;
/** The test files that cover mutant `id`, or undefined when that is not known. */
function testFiles(id) {
  if (read === undefined) {
    try {
      read = JSON.parse(fs.readFileSync(FILE, 'utf8'));
    } catch {
      read = {};
    }
  }
  return read[id];
}

module.exports = { record, testFiles };
