/**
 * The README's tutorial table against the registry of charts (apps/charts.ts). The constructs
 * each row names are checked in test/layout.test.ts, which reads the sources.
 */
import { TUTORIAL_CHARTS } from '../apps/charts';
import { readmeTable } from './harness/readme';

describe('README tutorial table', () => {
  it('lists every registered chart once, in registry order, with its title and output file', () => {
    expect(readmeTable().map((r) => [r[0], r[2]])).toEqual(
      TUTORIAL_CHARTS.map((c) => [c.title, `\`dist/${c.id}.k8s.yaml\``]),
    );
  });
});
