import { HttpdPersistentVolume, SidecarLogging } from '../../lib';
import { TutorialChart } from './types';

export const blogStorageChart: TutorialChart = {
  id: 'blog-storage',
  title: 'Persistent Volumes and Kubernetes Volumes (supergiant.io blog)',
  build: (chart) => {
    new HttpdPersistentVolume(chart, 'persistent-volume');
    new SidecarLogging(chart, 'sidecar-logging');
  },
};
