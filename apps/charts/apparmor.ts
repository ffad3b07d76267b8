import { AppArmor } from '../../lib';
import { TutorialChart } from './types';

export const appArmorChart: TutorialChart = {
  id: 'apparmor',
  title: 'AppArmor',
  build: (chart) => {
    new AppArmor(chart, 'app');
  },
};
