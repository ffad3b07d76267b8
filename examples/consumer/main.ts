// A team's own cdk8s app built on the package: two tutorials in one namespace, a variant of each
// that the tutorials do not show, and the load balancers limited to the team's addresses.
//
//   ALLOWED_RANGES=203.0.113.0/24 node main.js   # writes dist/blog.k8s.yaml and dist/guestbooks.k8s.yaml
//
// Without ALLOWED_RANGES, app.synth() prints a warning for each LoadBalancer still open to every address.
import { App, Chart } from 'cdk8s';
import {
  Guestbook,
  ServiceType,
  WordPress,
  WordPressRelease,
  addRepositoryWideSkips,
  setLoadBalancerSourceRanges,
} from 'k8s-tutorials-as-code';

const app = new App({ outdir: process.env.OUTDIR ?? 'dist' });

// Exposure limits for every LoadBalancer Service of the app; set before the first chart. A bad
// range (or 0.0.0.0/0) is refused here, naming the value and the rule.
const ranges = process.env.ALLOWED_RANGES;
if (ranges)
  setLoadBalancerSourceRanges(
    app,
    ranges.split(',').map((r) => r.trim()),
  );

// WordPress 6 on MySQL 8 (the current release, not the tutorial's 2017 images) behind the team's
// Ingress: a ClusterIP Service, so nothing is exposed by itself. The user creates `mysql-pass`.
const blog = new Chart(app, 'blog', { namespace: 'team-a', disableResourceNameHashes: true });
new WordPress(blog, 'wordpress', { release: WordPressRelease.CURRENT, serviceType: ServiceType.CLUSTER_IP });

// Two guestbooks side by side in the same namespace: every name is prefixed (staging-frontend,
// demo-redis-master, ...) and each copy's Services select only its own Pods. The demo copy sets
// its own source ranges, over the app's.
const guestbooks = new Chart(app, 'guestbooks', { namespace: 'team-a', disableResourceNameHashes: true });
new Guestbook(guestbooks, 'staging', { namePrefix: 'staging', serviceType: ServiceType.LOAD_BALANCER });
new Guestbook(guestbooks, 'demo', {
  namePrefix: 'demo',
  serviceType: ServiceType.LOAD_BALANCER,
  loadBalancerSourceRanges: ['198.51.100.0/24'],
});

// Optional: the project's checkov suppressions, each with its reason.
for (const chart of [blog, guestbooks]) addRepositoryWideSkips(chart);

app.synth();
