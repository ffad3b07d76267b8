import { HelloMinikube, reservedAddress } from '../../lib';
import { TutorialChart } from './types';

export const helloMinikubeChart: TutorialChart = {
  id: 'hello-minikube',
  title: 'Hello Minikube',
  build: (chart, settings) => {
    new HelloMinikube(chart, 'app', { loadBalancerIP: reservedAddress(settings.loadBalancerAddresses, 'hello-minikube/hello-node') });
  },
};
