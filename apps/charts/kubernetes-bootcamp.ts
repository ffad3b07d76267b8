import { KubernetesBootcamp } from '../../lib';
import { TutorialChart } from './types';

export const kubernetesBootcampChart: TutorialChart = {
  id: 'kubernetes-bootcamp',
  title: 'Learn Kubernetes Basics',
  build: (chart) => {
    new KubernetesBootcamp(chart, 'app');
  },
};
