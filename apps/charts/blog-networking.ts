import { ServiceTutorial } from '../../lib';
import { TutorialChart } from './types';

export const blogNetworkingChart: TutorialChart = {
  id: 'blog-networking',
  title: 'Kubernetes Networking: Services (supergiant.io blog)',
  build: (chart) => {
    new ServiceTutorial(chart, 'app');
  },
};
