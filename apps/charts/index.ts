import { nginxHttpsChart } from './nginx-https';
import { sourceIpChart } from './source-ip';
import { zookeeperChart } from './zookeeper';
import { cassandraChart } from './cassandra';
import { guestbookChart } from './guestbook';
import { guestbookLoggingChart } from './guestbook-logging';
import { wordpressChart } from './wordpress';
import { redisConfigChart } from './redis-config';
import { externalIpChart } from './external-ip';
import { statefulSetBasicsChart } from './statefulset-basics';
import { helloMinikubeChart } from './hello-minikube';
import { kubernetesBootcampChart } from './kubernetes-bootcamp';
import { podTerminationChart } from './pod-termination';
import { appArmorChart } from './apparmor';
import { blogStatefulSetChart } from './blog-statefulset';
import { blogStorageChart } from './blog-storage';
import { blogNetworkingChart } from './blog-networking';
import { kubiaChart } from './kubia';
import { TutorialChart } from './types';

export { TutorialChart } from './types';

/** Every tutorial chart of the app, in the order the README lists them. */
export const TUTORIAL_CHARTS: readonly TutorialChart[] = [
  nginxHttpsChart,
  sourceIpChart,
  zookeeperChart,
  cassandraChart,
  guestbookChart,
  guestbookLoggingChart,
  wordpressChart,
  redisConfigChart,
  externalIpChart,
  statefulSetBasicsChart,
  helloMinikubeChart,
  kubernetesBootcampChart,
  podTerminationChart,
  appArmorChart,
  blogStatefulSetChart,
  blogStorageChart,
  blogNetworkingChart,
  kubiaChart,
];
