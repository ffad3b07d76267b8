import { NginxHttps } from '../../lib';
import { TutorialChart } from './types';

export const nginxHttpsChart: TutorialChart = {
  id: 'nginx-https',
  title: 'Connecting Applications with Services',
  build: (chart, settings) => {
    new NginxHttps(chart, 'app', { tls: settings.nginxTls });
  },
};
