import { StatefulSetBasics } from '../../lib';
import { TutorialChart } from './types';

export const statefulSetBasicsChart: TutorialChart = {
  id: 'statefulset-basics',
  title: 'StatefulSet Basics',
  build: (chart) => {
    new StatefulSetBasics(chart, 'app');
  },
};
