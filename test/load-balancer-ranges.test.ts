/**
 * Decision D9: nothing is open to the internet that the user did not open. The setting
 * LOAD_BALANCER_SOURCE_RANGES (or the infrastructure's GKE_ALLOWED_SOURCE_RANGES) reaches every
 * LoadBalancer Service of every chart as loadBalancerSourceRanges; without it, synth says
 * which Services are open.
 */
import { Chart } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { buildApp } from '../apps/app';
import { settingsFromEnv } from '../apps/settings';
import {
  LOAD_BALANCER_SERVICES,
  LOAD_BALANCER_SOURCE_RANGES_CONTEXT,
  PRINT_WARNINGS_CONTEXT,
  WordPress,
  loadBalancerKey,
  setLoadBalancerSourceRanges,
  tutorialWarnings,
} from '../lib';
import { tutorialService } from '../lib/internal/service';
import { harnessFindings, K8sObject, synthConstructs, synthTutorial, testApp } from './harness';

describe('LOAD_BALANCER_SOURCE_RANGES', () => {
  const ranges = ['203.0.113.0/24', '198.51.100.7/32'];
  const settings = settingsFromEnv({ LOAD_BALANCER_SOURCE_RANGES: ' 203.0.113.0/24, 198.51.100.7/32 ' });

  it('is read as a trimmed comma-separated list of CIDRs', () => {
    expect(settings.loadBalancerSourceRanges).toEqual(ranges);
  });

  it('reaches every LoadBalancer Service of every chart, and no other Service', () => {
    const seen: string[] = [];
    for (const { id } of TUTORIAL_CHARTS) {
      const result = synthTutorial(id, settings);
      expect(harnessFindings(result)).toEqual([]);
      for (const svc of result.docs.filter((d) => d.kind === 'Service')) {
        const key = `${id}/${svc.metadata.name}`;
        if (svc.spec?.type === 'LoadBalancer') {
          expect([key, svc.spec.loadBalancerSourceRanges]).toEqual([key, ranges]);
          seen.push(key);
        } else {
          expect([key, svc.spec?.loadBalancerSourceRanges]).toEqual([key, undefined]);
        }
      }
    }
    // Not vacuous: every registered LoadBalancer Service was seen.
    expect(seen.sort()).toEqual(LOAD_BALANCER_SERVICES.map(loadBalancerKey).sort());
  });

  it('falls back to GKE_ALLOWED_SOURCE_RANGES, so one variable opens the NodePort rule and the load balancers alike', () => {
    expect(settingsFromEnv({ GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24' }).loadBalancerSourceRanges).toEqual([
      '203.0.113.0/24',
    ]);
    expect(
      settingsFromEnv({ GKE_ALLOWED_SOURCE_RANGES: '203.0.113.0/24', LOAD_BALANCER_SOURCE_RANGES: '198.51.100.0/24' })
        .loadBalancerSourceRanges,
    ).toEqual(['198.51.100.0/24']);
    expect(settingsFromEnv({}).loadBalancerSourceRanges).toBeUndefined();
  });

  it('refuses what the infrastructure refuses: a malformed CIDR, host bits, 0.0.0.0/0, an empty list', () => {
    expect(() => settingsFromEnv({ LOAD_BALANCER_SOURCE_RANGES: '203.0.113.7' })).toThrow(
      'cdk8s app settings: LOAD_BALANCER_SOURCE_RANGES is "203.0.113.7"; has "203.0.113.7", which must be an IPv4 CIDR range such as "203.0.113.0/24"',
    );
    expect(() => settingsFromEnv({ LOAD_BALANCER_SOURCE_RANGES: '203.0.113.7/24' })).toThrow(
      /has "203.0.113.7\/24", which must have no host bits set/,
    );
    expect(() => settingsFromEnv({ LOAD_BALANCER_SOURCE_RANGES: '10.0.0.0/8,0.0.0.0/0' })).toThrow(
      /has "0.0.0.0\/0", which must not be 0.0.0.0\/0/,
    );
    expect(() => settingsFromEnv({ GKE_ALLOWED_SOURCE_RANGES: '0.0.0.0/0' })).toThrow(
      /^cdk8s app settings: GKE_ALLOWED_SOURCE_RANGES is "0.0.0.0\/0"/,
    );
    expect(() => settingsFromEnv({ LOAD_BALANCER_SOURCE_RANGES: ' , ' })).toThrow(
      /LOAD_BALANCER_SOURCE_RANGES is " , "; must be a comma-separated list/,
    );
  });
});

describe('the open-to-the-internet warning', () => {
  it('comes from the constructs: one per LoadBalancer Service of the app when no range is set', () => {
    const { app } = buildApp({}, testApp().outdir);
    const warnings = tutorialWarnings(app).filter((w) => w.includes('open to every address'));
    expect(warnings).toHaveLength(LOAD_BALANCER_SERVICES.length);
    for (const { chart, service } of LOAD_BALANCER_SERVICES)
      expect(warnings).toContainEqual(
        `${chart}/app: LoadBalancer Service "${service}" is open to every address on the internet: limit it with the construct's loadBalancerSourceRanges prop, or setLoadBalancerSourceRanges(app, ranges) for the whole app`,
      );
  });

  it('is gone when the ranges are set, and names only the Services still open', () => {
    const { app: limited } = buildApp({ loadBalancerSourceRanges: ['203.0.113.0/24'] }, testApp().outdir);
    expect(tutorialWarnings(limited)).toEqual([]);
    const app = testApp();
    const chart = new Chart(app, 'mixed', { disableResourceNameHashes: true });
    tutorialService(chart, 'open', {
      name: 'open',
      type: ServiceType.LOAD_BALANCER,
      selector: { app: 'a' },
      ports: [{ port: 80 }],
    });
    tutorialService(chart, 'closed', {
      name: 'closed',
      type: ServiceType.LOAD_BALANCER,
      selector: { app: 'a' },
      ports: [{ port: 80 }],
      loadBalancerSourceRanges: ['10.0.0.0/8'],
    });
    tutorialService(chart, 'inside', { name: 'inside', selector: { app: 'a' }, ports: [{ port: 80 }] });
    expect(tutorialWarnings(app)).toEqual([expect.stringMatching(/^mixed: LoadBalancer Service "open" is open/)]);
  });
});

describe("a consumer's app.synth()", () => {
  it('prints the warnings once, on stderr, unless the app prints them itself', () => {
    const printed: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((line) => {
      printed.push(String(line));
      return true;
    });
    try {
      const app = testApp();
      new WordPress(new Chart(app, 'blog', { disableResourceNameHashes: true }), 'wp');
      app.synth();
      expect(printed).toEqual([`warning: ${tutorialWarnings(app)[0]}\n`]);
      expect(printed[0]).toMatch(/^warning: blog\/wp: LoadBalancer Service "wordpress" is open to every address/);
      printed.length = 0;
      const quiet = testApp();
      quiet.node.setContext(PRINT_WARNINGS_CONTEXT, false);
      new WordPress(new Chart(quiet, 'blog', { disableResourceNameHashes: true }), 'wp');
      quiet.synth();
      expect(printed).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('setLoadBalancerSourceRanges', () => {
  it('limits every construct of the app, before the first chart', () => {
    const app = testApp();
    setLoadBalancerSourceRanges(app, ['203.0.113.0/24']);
    const chart = new Chart(app, 'wordpress', { disableResourceNameHashes: true });
    new WordPress(chart, 'app');
    const svc = (chart.toJson() as K8sObject[]).find((d) => d.kind === 'Service' && d.metadata.name === 'wordpress');
    expect(svc?.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
    expect(tutorialWarnings(app)).toEqual([]);
  });

  it('refuses a bad range, an empty list, and a call after the first chart, naming the rule', () => {
    expect(() => setLoadBalancerSourceRanges(testApp(), ['0.0.0.0/0'])).toThrow(
      'setLoadBalancerSourceRanges: ranges is ["0.0.0.0/0"]; has "0.0.0.0/0", which must not be 0.0.0.0/0',
    );
    expect(() => setLoadBalancerSourceRanges(testApp(), [])).toThrow(
      'setLoadBalancerSourceRanges: ranges is []; must be a non-empty list of IPv4 CIDR ranges',
    );
    const two = testApp();
    new Chart(two, 'a');
    new Chart(two, 'b');
    expect(() => setLoadBalancerSourceRanges(two, ['203.0.113.0/24'])).toThrow(/\(a, b already exist\)$/);
    const app = testApp();
    new Chart(app, 'early');
    expect(() => setLoadBalancerSourceRanges(app, ['203.0.113.0/24'])).toThrow(
      "setLoadBalancerSourceRanges: app is '<root>'; must have no children yet: call it before the first chart is added (early already exist)",
    );
  });
});

describe('tutorialService loadBalancerSourceRanges', () => {
  it('takes a per-Service list over the app context, and checks both', () => {
    const { docs } = synthConstructs((c) => {
      c.node.setContext(LOAD_BALANCER_SOURCE_RANGES_CONTEXT, ['10.0.0.0/8']);
      tutorialService(c, 'a', { name: 'a', type: ServiceType.LOAD_BALANCER, ports: [{ port: 80 }] });
      tutorialService(c, 'b', {
        name: 'b',
        type: ServiceType.LOAD_BALANCER,
        ports: [{ port: 80 }],
        loadBalancerSourceRanges: ['192.0.2.0/24'],
      });
    });
    expect(docs.map((d) => d.spec.loadBalancerSourceRanges)).toEqual([['10.0.0.0/8'], ['192.0.2.0/24']]);
    expect(() =>
      synthConstructs((c) => {
        c.node.setContext(LOAD_BALANCER_SOURCE_RANGES_CONTEXT, ['0.0.0.0/0']);
        tutorialService(c, 'a', { name: 'a', type: ServiceType.LOAD_BALANCER, ports: [{ port: 80 }] });
      }),
    ).toThrow(/prop 'loadBalancerSourceRanges' is "0.0.0.0\/0"; must not be 0.0.0.0\/0/);
    expect(() =>
      synthConstructs((c) => {
        tutorialService(c, 'a', { name: 'a', ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/8'] });
      }),
    ).toThrow(/prop 'loadBalancerSourceRanges' is \["10.0.0.0\/8"\]; is only valid with serviceType LoadBalancer/);
    expect(() =>
      synthConstructs((c) => {
        tutorialService(c, 'a', {
          name: 'a',
          type: ServiceType.LOAD_BALANCER,
          ports: [{ port: 80 }],
          loadBalancerSourceRanges: [],
        });
      }),
    ).toThrow(/prop 'loadBalancerSourceRanges' is \[\]; must be a non-empty list of IPv4 CIDR ranges/);
  });
});
