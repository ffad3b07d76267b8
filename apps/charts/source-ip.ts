import { SourceIp } from '../../lib';
import { TutorialChart } from './types';

export const sourceIpChart: TutorialChart = {
  id: 'source-ip',
  title: 'Using Source IP',
  build: (chart) => {
    new SourceIp(chart, 'app');
  },
};
