/**
 * Decision D9: nothing is open to the internet that the user did not open. The setting
 * LOAD_BALANCER_SOURCE_RANGES (or the infrastructure's GKE_ALLOWED_SOURCE_RANGES) reaches every
 * LoadBalancer Service of every chart as loadBalancerSourceRanges; without it, synth says
 * which Services are open.
 */
import { Chart, Testing } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { TUTORIAL_CHARTS } from '../apps/charts';
import { buildApp, openLoadBalancerWarnings } from '../apps/app';
import { settingsFromEnv } from '../apps/settings';
import { LOAD_BALANCER_SERVICES, LOAD_BALANCER_SOURCE_RANGES_CONTEXT, loadBalancerKey } from '../lib';
import { tutorialService } from '../lib/internal/service';
import { harnessFindings, synthConstructs, synthTutorial } from './harness';

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
  it('lists every LoadBalancer Service of the app when no range is set, in one warning', () => {
    const { charts } = buildApp({}, Testing.app().outdir);
    const warnings = openLoadBalancerWarnings(charts);
    expect(warnings).toHaveLength(1);
    for (const key of LOAD_BALANCER_SERVICES.map(loadBalancerKey)) expect(warnings[0]).toContain(key);
    expect(warnings[0]).toMatch(
      /^LoadBalancer Services open to every address on the internet: .*LOAD_BALANCER_SOURCE_RANGES/,
    );
  });

  it('is gone when the ranges are set, and names only the Services still open', () => {
    const { charts } = buildApp({ loadBalancerSourceRanges: ['203.0.113.0/24'] }, Testing.app().outdir);
    expect(openLoadBalancerWarnings(charts)).toEqual([]);
    const app = Testing.app();
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
    expect(openLoadBalancerWarnings(new Map([['mixed', chart]]))).toEqual([
      expect.stringContaining('internet: mixed/open. Set'),
    ]);
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
  });
});
