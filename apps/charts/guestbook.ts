import { Guestbook } from '../../lib';
import { TutorialChart } from './types';

/**
 * The frontend Service is NodePort by default, as in the tutorial, so this chart writes no
 * LoadBalancer Service and has no entry in lib/load-balancers.ts.
 */
export const guestbookChart: TutorialChart = {
  id: 'guestbook',
  title: 'Example: Deploying PHP Guestbook application with Redis',
  build: (chart) => {
    new Guestbook(chart, 'app');
  },
};
