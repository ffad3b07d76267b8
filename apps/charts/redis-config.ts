import { RedisConfig } from '../../lib';
import { TutorialChart } from './types';

export const redisConfigChart: TutorialChart = {
  id: 'redis-config',
  title: 'Configuring Redis using a ConfigMap',
  build: (chart) => {
    new RedisConfig(chart, 'app');
  },
};
