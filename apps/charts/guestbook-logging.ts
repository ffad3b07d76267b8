import { GuestbookLogging } from '../../lib/guestbook-logging';
import { TutorialChart } from './types';

export const guestbookLoggingChart: TutorialChart = {
  id: 'guestbook-logging',
  title: 'Example: Add logging and metrics to the PHP / Redis Guestbook example',
  build: (chart, settings) => {
    new GuestbookLogging(chart, 'app', { credentials: settings.dynamicLogging });
  },
};
