import { ZooKeeper } from '../../lib';
import { TutorialChart } from './types';

export const zookeeperChart: TutorialChart = {
  id: 'zookeeper',
  title: 'Running ZooKeeper, A CP Distributed System',
  build: (chart) => {
    new ZooKeeper(chart, 'app');
  },
};
