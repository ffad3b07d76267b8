import { ExternalIp, reservedAddress } from '../../lib';
import { TutorialChart } from './types';

export const externalIpChart: TutorialChart = {
  id: 'external-ip',
  title: 'Exposing an External IP Address to Access an Application in a Cluster',
  build: (chart, settings) => {
    new ExternalIp(chart, 'app', { loadBalancerIP: reservedAddress(settings.loadBalancerAddresses, 'external-ip/my-service') });
  },
};
