import { WordPress, reservedAddress } from '../../lib';
import { TutorialChart } from './types';

export const wordpressChart: TutorialChart = {
  id: 'wordpress',
  title: 'Example: Deploying WordPress and MySQL with Persistent Volumes',
  build: (chart, settings) => {
    new WordPress(chart, 'app', {
      // Written into the manifest only when MYSQL_PASSWORD_FILE is set (decision D6).
      mysqlPassword: settings.mysqlPassword,
      loadBalancerIP: reservedAddress(settings.loadBalancerAddresses, 'wordpress/wordpress'),
    });
  },
};
