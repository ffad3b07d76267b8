import { PodTermination } from '../../lib';
import { TutorialChart } from './types';

export const podTerminationChart: TutorialChart = {
  id: 'pod-termination',
  title: 'Explore Termination Behavior for Pods and their Endpoints',
  build: (chart) => {
    // The tutorial's values: a preStop sleep of 180 s against a 120 s grace period. The
    // construct records a warning about that combination (tutorialWarnings).
    new PodTermination(chart, 'app');
  },
};
