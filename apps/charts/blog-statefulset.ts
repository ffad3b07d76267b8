import { ApacheHttpStatefulSet } from '../../lib';
import { TutorialChart } from './types';

export const blogStatefulSetChart: TutorialChart = {
  id: 'blog-statefulset',
  title: 'Kubernetes StatefulSets (supergiant.io blog)',
  build: (chart) => {
    new ApacheHttpStatefulSet(chart, 'app');
  },
};
