import { Cassandra } from '../../lib';
import { TutorialChart } from './types';

export const cassandraChart: TutorialChart = {
  id: 'cassandra',
  title: 'Example: Deploying Cassandra with Stateful Sets',
  build: (chart) => {
    // The StorageClass `fast` comes from the infrastructure stack (decision D7).
    new Cassandra(chart, 'app');
  },
};
