import { SourceIp, reservedAddress } from '../../lib';
import { TutorialChart } from './types';

export const sourceIpChart: TutorialChart = {
  id: 'source-ip',
  title: 'Using Source IP',
  build: (chart, settings) => {
    new SourceIp(chart, 'app', { loadBalancerIP: reservedAddress(settings.loadBalancerAddresses, 'source-ip/loadbalancer') });
  },
};
