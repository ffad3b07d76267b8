import { Chart } from 'cdk8s';
import { Settings } from '../settings';

/** One tutorial: one chart, written to `dist/<id>.k8s.yaml`. */
export interface TutorialChart {
  /** The chart id, which is also the output file name. */
  readonly id: string;
  /** The tutorial's title. */
  readonly title: string;
  /** Adds the tutorial's constructs to `chart`. */
  readonly build: (chart: Chart, settings: Settings) => void;
}
