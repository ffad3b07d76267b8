'use strict';
// Stays JavaScript: required by ./environment.js, ./filter.js and ./sequencer.js, which Node loads untransformed.
// Which test files cover which mutant, and how long each test file took, measured in StrykerJS's
// dry run (./environment.js) and read by its mutant runs (./filter.js, ./sequencer.js,
// ./runner.ts). Kept in a file in the sandbox because the mutant runs happen in other processes.
const fs = require('node:fs');
const path = require('node:path');

const FILE = path.join(process.cwd(), '.stryker-test-files.json');
const files = new Map();
const durations = {};

/**
 * Records that the test file `testPath` covers the mutants `ids` and took `ms` to load and run.
 * Only in the dry run: StrykerJS's instrumented code counts coverage in the mutant runs too, and a
 * runner process that has seen a few test files must not replace the dry run's whole record.
 */
function record(testPath, ids, ms) {
  if (process.env.__STRYKER_ACTIVE_MUTANT__ !== undefined) return;
  for (const id of ids) {
    if (!files.has(id)) files.set(id, new Set());
    files.get(id).add(testPath);
  }
  durations[testPath] = ms;
  const covered = {};
  for (const [id, paths] of files) covered[id] = [...paths];
  fs.writeFileSync(FILE, JSON.stringify({ covered, durations }));
}

let read;
/**
 * The dry run's record, read once it exists (a runner process may have run the dry run itself),
 * with how many mutants each test file covers: few for a construct's own test, all for the
 * suites over every chart.
 */
function load() {
  if (read === undefined) {
    if (!fs.existsSync(FILE)) return { covered: {}, durations: {}, breadth: new Map() };
    const { covered, durations } = JSON.parse(fs.readFileSync(FILE, 'utf8'));
    const breadth = new Map();
    for (const paths of Object.values(covered)) for (const p of paths) breadth.set(p, (breadth.get(p) ?? 0) + 1);
    read = { covered, durations, breadth };
  }
  return read;
}

/** The test files that cover mutant `id`, or undefined when that is not known. */
function testFiles(id) {
  return load().covered[id];
}

/** How long the test file took in the dry run, in milliseconds, or undefined. */
function duration(testPath) {
  return load().durations[testPath];
}

/** How many mutants the test file covers in the dry run's record, or undefined. */
function mutantsCovered(testPath) {
  return load().breadth.get(testPath);
}

const killers = new Map();
/** Records that the test file `testPath` killed mutant `id` (in this process's runs). */
function recordKill(id, testPath) {
  killers.set(Number(id), testPath);
}

/**
 * The test file that killed the nearest mutant before `id` in this process, if one of the
 * previous few did: StrykerJS numbers mutants in source order, so neighbours are mostly in the
 * same function of the same file, and the test that killed one usually kills the next.
 */
function recentKiller(id) {
  for (let n = Number(id) - 1; n >= Number(id) - 20; n--) if (killers.has(n)) return killers.get(n);
  return undefined;
}

let sources;
/**
 * The source file (relative to the sandbox) that holds mutant `id`, read from StrykerJS's
 * instrumented copies, where each mutant is a call of its `stryMutAct_9fa48("<id>")` helper.
 */
function sourceOf(id) {
  if (sources === undefined) {
    sources = new Map();
    for (const dir of ['lib', 'apps', 'infra']) {
      if (!fs.existsSync(dir)) continue;
      for (const file of fs.readdirSync(dir, { recursive: true })) {
        if (!String(file).endsWith('.ts')) continue;
        const rel = path.join(dir, String(file));
        for (const m of fs.readFileSync(rel, 'utf8').matchAll(/stryMutAct_9fa48\("(\d+)"\)/g)) sources.set(m[1], rel);
      }
    }
  }
  return sources.get(String(id));
}

module.exports = { record, testFiles, duration, mutantsCovered, recordKill, recentKiller, sourceOf };
