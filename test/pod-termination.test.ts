import { PodTermination, WARNING_METADATA, tutorialWarnings } from '../lib';
import { findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

describe('pod-termination chart', () => {
  const result = synthTutorial('pod-termination');
  const { docs, yaml } = result;
  const deploy = findOne(docs, 'Deployment', 'nginx-deployment');
  const svc = findOne(docs, 'Service', 'nginx-service');
  const pod = deploy.spec.template.spec;
  const container = pod.containers[0];

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it("keeps the tutorial's hook and grace period: sleep 180 in preStop against 120 s", () => {
    expect(pod.terminationGracePeriodSeconds).toBe(120);
    expect(container.lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 180'] } } });
  });

  it("does not warn on every synth about the tutorial's own values (the README states them once)", () => {
    expect(tutorialWarnings(result.app)).toEqual([]);
  });

  it('warns, observably from the app tree, when a user-chosen hook outlasts the grace period', () => {
    const custom = synthConstructs(
      (c) => new PodTermination(c, 'app', { preStopSleepSeconds: 200, terminationGracePeriodSeconds: 120 }),
    );
    const warnings = tutorialWarnings(custom.app);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBe(
      'test/app: preStopSleepSeconds (200) is not shorter than terminationGracePeriodSeconds (120): the kubelet cuts the hook off after 120 s (plus a one-off 2 s extension) and kills the container, so nginx gets no time to shut down gracefully',
    );
    expect(
      custom.chart.node
        .findAll()
        .flatMap((c) => c.node.metadata)
        .filter((m) => m.type === WARNING_METADATA),
    ).toHaveLength(1);
  });

  it('has one nginx Pod labelled app=nginx, which nginx-service selects on port 80', () => {
    expect(deploy.metadata.labels).toEqual({ app: 'nginx' });
    expect(deploy.spec.replicas).toBe(1);
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'nginx' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'nginx' });
    expect(container).toMatchObject({ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80 }] });
    expect(PodTermination.TUTORIAL_IMAGE).toBe('nginx:latest');
    expect(svc.metadata.labels).toBeUndefined();
    expect(svc.spec).toEqual({ selector: { app: 'nginx' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] });
  });

  it('lets nginx start as root with only its pid and cache directories writable (decision D5)', () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(pod.securityContext.runAsNonRoot).toBe(false);
    const emptyDirs = pod.volumes.filter((v: { emptyDir?: object }) => v.emptyDir).map((v: { name: string }) => v.name);
    const writable = container.volumeMounts
      .filter((m: { name: string }) => emptyDirs.includes(m.name))
      .map((m: { mountPath: string }) => m.mountPath);
    expect(writable.sort()).toEqual(['/run', '/var/cache/nginx']);
    expect(container.startupProbe).toBeUndefined();
  });
});

describe('PodTermination props', () => {
  it('writes no warning when the hook ends inside the grace period, and passes the harness', () => {
    const result = synthConstructs(
      (c) =>
        new PodTermination(c, 'app', {
          preStopSleepSeconds: 60,
          terminationGracePeriodSeconds: 90,
          replicas: 2,
          namespace: 'term',
        }),
    );
    expect(harnessFindings(result)).toEqual([]);
    expect(tutorialWarnings(result.app)).toEqual([]);
    const d = findOne(result.docs, 'Deployment', 'nginx-deployment');
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(90);
    expect(d.spec.template.spec.containers[0].lifecycle.preStop.exec.command).toEqual(['/bin/sh', '-c', 'sleep 60']);
  });

  it.each([
    [180, 100],
    [200, 120],
  ])('warns for a %d s hook against %d s: only the pair of the tutorial is left unwarned', (sleep, grace) => {
    const custom = synthConstructs(
      (c) => new PodTermination(c, 'app', { preStopSleepSeconds: sleep, terminationGracePeriodSeconds: grace }),
    );
    expect(tutorialWarnings(custom.app)).toHaveLength(1);
  });

  it('writes no warning without a hook, even with no grace period (kill at once)', () => {
    const result = synthConstructs(
      (c) => new PodTermination(c, 'app', { preStopSleepSeconds: 0, terminationGracePeriodSeconds: 0 }),
    );
    expect(tutorialWarnings(result.app)).toEqual([]);
    expect(
      findOne(result.docs, 'Deployment', 'nginx-deployment').spec.template.spec.containers[0].lifecycle,
    ).toBeUndefined();
  });

  it('warns when the hook ends exactly at the grace period too, and exposes the warning on the construct', () => {
    let construct: PodTermination | undefined;
    synthConstructs((c) => {
      construct = new PodTermination(c, 'app', { preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 });
    });
    expect(construct!.warnings).toHaveLength(1);
    expect(construct!.warnings[0]).toContain('cuts the hook off after 30 s');
  });

  it('leaves the hook out with preStopSleepSeconds 0', () => {
    const result = synthConstructs((c) => new PodTermination(c, 'app', { preStopSleepSeconds: 0 }));
    expect(harnessFindings(result)).toEqual([]);
    expect(
      findOne(result.docs, 'Deployment', 'nginx-deployment').spec.template.spec.containers[0].lifecycle,
    ).toBeUndefined();
    expect(tutorialWarnings(result.app)).toEqual([]);
  });

  it.each([
    [{ replicas: 0 }, /PodTermination at 'test\/app': prop 'replicas' is 0; must be an integer between 1 and 1000/],
    [
      { terminationGracePeriodSeconds: -1 },
      /PodTermination at 'test\/app': prop 'terminationGracePeriodSeconds' is -1; must be an integer between 0 and 86400/,
    ],
    [{ preStopSleepSeconds: 1.5 }, /prop 'preStopSleepSeconds' is 1.5; must be an integer between 0 and 86400/],
    [{ namespace: 'x_y' }, /prop 'namespace' is "x_y"; must be an RFC 1123 label/],
    [{ image: 'nginx latest' }, /prop 'image' is "nginx latest"; must be an image reference/],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new PodTermination(c, 'app', props))).toThrow(message);
  });
});
