import { Kubia, reservedAddress } from '../../lib';
import { TutorialChart } from './types';

export const kubiaChart: TutorialChart = {
  id: 'kubia',
  title: 'Kubernetes in Action: the kubia examples',
  build: (chart, settings) => {
    new Kubia(chart, 'app', { loadBalancerIP: reservedAddress(settings.loadBalancerAddresses, 'kubia/kubia-loadbalancer') });
  },
};
