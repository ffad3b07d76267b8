// The figures `npm run bench` reports besides its timed tasks, kept apart from bench.ts:
// - the control plane's cold build, from its last recorded measurement
//   (test/cluster/control-plane/cold-build.json, written by `npm run bench:cluster -- --cold --build-only`);
// - the scale benchmark (scripts/bench-scale.ts): 1, 10 and 50 copies of every tutorial.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printScale, scaleBenchmark } from './bench-scale';

const ROOT = path.resolve(__dirname, '..');
// Data the control plane's bench writes, read here as a file (scripts/ imports nothing of test/).
const COLD_BUILD = path.join(ROOT, 'test', 'cluster', 'control-plane', 'cold-build.json');
const COLD_BUILD_TARGET_MINUTES = 20;

/** The last recorded cold build: prints it; returns its row for bench-results.json. */
/** A figure of `npm run bench` besides its timed tasks: its row for bench-results.json, and what is over target. */
export interface Figure {
  row: Record<string, unknown>;
  problems: string[];
}

export function coldBuildFigure(): Figure {
  if (!fs.existsSync(COLD_BUILD)) {
    console.log('cluster cold build: never measured (npm run bench:cluster -- --cold --build-only)');
    return { row: { task: 'cluster cold build', measured: false }, problems: [] };
  }
  const m = JSON.parse(fs.readFileSync(COLD_BUILD, 'utf8'));
  const minutes = m.buildSeconds / 60;
  // On a shared machine the wall time measures the other work too; the CPU time does not, and
  // over 2 cores it bounds what the build takes on an idle machine from below.
  const idleMinutes = m.idleEstimateSeconds !== undefined ? m.idleEstimateSeconds / 60 : minutes;
  const problems = idleMinutes > COLD_BUILD_TARGET_MINUTES ? [`cold build over ${COLD_BUILD_TARGET_MINUTES} min`] : [];
  const load = m.loadAverage?.during
    ? `load average ${m.loadAverage.during.min}-${m.loadAverage.during.max}`
    : `load average ${m.loadAverage?.start?.[0]} at start`;
  console.log(
    `cluster cold build (measured ${m.date.slice(0, 10)}, ${m.cores} cores, ${load}):` +
      ` ${minutes.toFixed(1)} min wall, ${(m.cpuSeconds / 60).toFixed(1)} CPU-min` +
      (m.idleEstimateSeconds !== undefined ? `, about ${idleMinutes.toFixed(1)} min on idle cores` : '') +
      `  ${problems.length ? `OVER: ${problems.join(', ')}` : `target ${COLD_BUILD_TARGET_MINUTES} min ok`}`,
  );
  return {
    row: {
      task: 'cluster cold build',
      measured: m.date,
      minutes: +minutes.toFixed(1),
      cpuMinutes: +(m.cpuSeconds / 60).toFixed(1),
      idleEstimateMinutes: +idleMinutes.toFixed(1),
      loadAverage: m.loadAverage,
      overTarget: problems.length > 0,
    },
    problems,
  };
}

/** Runs the scale benchmark: prints it; returns its rows for bench-results.json. */
export function scaleFigure(): Figure {
  const result = scaleBenchmark();
  printScale(result);
  return {
    row: {
      task: 'scale: copies of every tutorial',
      sizes: result.rows,
      ratio50to1: result.rows.ratio50to1,
      growth: result.rows.growth,
      overTarget: result.problems.length > 0,
    },
    problems: result.problems,
  };
}
