import { APPARMOR_DENY_WRITE_PROFILE, AppArmor, AppArmorProfileForm } from '../lib';
import { findAll, findOne, harnessFindings, synthConstructs, synthTutorial } from './harness';

// The name `apparmor_parser` registers: the word after `profile` in the profile text.
const declaredName = /^profile (\S+) /m.exec(APPARMOR_DENY_WRITE_PROFILE)![1];

describe('apparmor chart', () => {
  const { docs, yaml } = synthTutorial('apparmor');
  const pod = findOne(docs, 'Pod', 'hello-apparmor');
  const hello = pod.spec.containers[0];
  const ds = findOne(docs, 'DaemonSet', 'apparmor-loader');
  const loaderPod = ds.spec.template.spec;
  const loader = loaderPod.containers[0];
  const cm = findOne(docs, 'ConfigMap', 'apparmor-profiles');

  it('matches the snapshot', () => {
    expect(yaml).toMatchSnapshot();
  });

  it("asks for the tutorial's profile with the tutorial's annotation on the container `hello` (Kubernetes 1.27)", () => {
    // The checkov.io/skip-* annotations are the scan's suppressions (README "Policy scan").
    const annotations = Object.fromEntries(
      Object.entries(pod.metadata.annotations!).filter(([k]) => !k.startsWith('checkov.io/')),
    );
    expect(annotations).toEqual({
      'container.apparmor.security.beta.kubernetes.io/hello': 'localhost/k8s-apparmor-example-deny-write',
    });
    const [key, value] = Object.entries(annotations)[0];
    expect(key.split('/')[1]).toBe(hello.name);
    expect(value).toBe(`localhost/${declaredName}`);
    expect(pod.spec.securityContext.appArmorProfile).toBeUndefined();
    expect(pod.metadata.labels).toBeUndefined();
  });

  it("runs the tutorial's busybox command", () => {
    // The tutorial's busybox at the tag its current text pins (1.27's page left it untagged).
    expect(hello).toMatchObject({
      name: 'hello',
      image: 'busybox:1.28',
      command: ['sh', '-c', "echo 'Hello AppArmor!' && sleep 1h"],
    });
  });

  it('keeps the root filesystem writable so that `touch /tmp/test` is refused by AppArmor, not by a read-only mount (decision D5)', () => {
    expect(hello.securityContext).toMatchObject({
      readOnlyRootFilesystem: false,
      runAsNonRoot: true,
      runAsUser: 65534,
      allowPrivilegeEscalation: false,
    });
    expect(hello.volumeMounts).toBeUndefined();
  });

  it('ships the profile text in the ConfigMap the loader reads, under the name the Pod asks for', () => {
    expect(Object.keys(cm.data)).toEqual([declaredName]);
    expect(cm.data[declaredName]).toBe(APPARMOR_DENY_WRITE_PROFILE);
    expect(APPARMOR_DENY_WRITE_PROFILE).toContain('deny /** w,');
    expect(APPARMOR_DENY_WRITE_PROFILE).toContain('flags=(attach_disconnected)');
    const profilesVolume = loaderPod.volumes.find(
      (v: { configMap?: { name: string } }) => v.configMap?.name === 'apparmor-profiles',
    );
    const mount = loader.volumeMounts.find((m: { name: string }) => m.name === profilesVolume.name);
    // The loader's last argument is the directory it loads from.
    expect(loader.args[loader.args.length - 1]).toBe(mount.mountPath);
    expect(loader.args.slice(0, 2)).toEqual(['-poll', '30s']);
  });

  it('gives the loader exactly the privileges and host paths it needs to load profiles into the kernel', () => {
    expect(loader.image).toBe(AppArmor.LOADER_IMAGE);
    expect(loader.securityContext).toMatchObject({
      privileged: true,
      allowPrivilegeEscalation: true,
      runAsNonRoot: false,
      readOnlyRootFilesystem: true,
    });
    expect(loaderPod.securityContext.runAsNonRoot).toBe(false);
    const hostPaths = loaderPod.volumes
      .filter((v: { hostPath?: object }) => v.hostPath)
      .map((v: { name: string; hostPath: { path: string; type: string } }) => {
        const m = loader.volumeMounts.find((x: { name: string }) => x.name === v.name);
        return [v.hostPath.path, v.hostPath.type, m.mountPath, m.readOnly];
      });
    expect(hostPaths).toEqual([
      ['/sys', 'Directory', '/sys', true],
      ['/etc/apparmor.d', 'Directory', '/etc/apparmor.d', true],
    ]);
    expect(loaderPod.hostNetwork).toBe(false);
    expect(loaderPod.hostPID).toBeUndefined();
    expect(loaderPod.automountServiceAccountToken).toBe(false);
  });

  it('labels the loader and its ConfigMap for `kubectl apply -l daemon=apparmor-loader`, and only those', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { daemon: 'apparmor-loader' } });
    expect(ds.spec.template.metadata.labels).toEqual({ daemon: 'apparmor-loader' });
    expect(
      docs
        .filter((d) => d.metadata.labels?.daemon === 'apparmor-loader')
        .map((d) => d.kind)
        .sort(),
    ).toEqual(['ConfigMap', 'DaemonSet']);
  });
});

describe('AppArmor props', () => {
  it('writes the securityContext.appArmorProfile field instead (1.30+), and never both forms', () => {
    const result = synthConstructs((c) => new AppArmor(c, 'app', { profileForm: AppArmorProfileForm.FIELD }));
    const pod = findOne(result.docs, 'Pod', 'hello-apparmor');
    expect(pod.spec.securityContext.appArmorProfile).toEqual({
      type: 'Localhost',
      localhostProfile: 'k8s-apparmor-example-deny-write',
    });
    expect(pod.spec.securityContext.appArmorProfile.localhostProfile).toBe(declaredName);
    // 1.30+ API servers refuse a Pod whose annotation and field disagree; one is enough.
    // (Its other annotations are the scanner's suppressions.)
    expect(Object.keys(pod.metadata.annotations ?? {}).filter((k) => !k.startsWith('checkov.io/'))).toEqual([]);
    // The loader is the same in both forms.
    expect(
      findOne(result.docs, 'DaemonSet', 'apparmor-loader').spec.template.spec.containers[0].securityContext.privileged,
    ).toBe(true);
    // The field is 1.30+ API: the harness, which checks against 1.27, reports exactly that field
    // and nothing else. This variant is for clusters that serve 1.30 or later.
    expect(harnessFindings(result)).toEqual([
      expect.objectContaining({
        rule: 'unknown-fields',
        object: 'Pod/hello-apparmor',
        message: expect.stringContaining("'spec.securityContext.appArmorProfile'"),
      }),
    ]);
  });

  it("writes the tutorial's hello-apparmor-2 on request only: the same Pod asking for a profile nothing loads", () => {
    expect(findAll(synthTutorial('apparmor').docs, 'Pod').map((p) => p.metadata.name)).toEqual(['hello-apparmor']);
    const result = synthConstructs((c) => new AppArmor(c, 'app', { unloadedProfileExample: true }));
    expect(harnessFindings(result)).toEqual([]);
    const first = findOne(result.docs, 'Pod', 'hello-apparmor');
    const second = findOne(result.docs, 'Pod', 'hello-apparmor-2');
    expect(Object.entries(second.metadata.annotations ?? {}).filter(([k]) => !k.startsWith('checkov.io/'))).toEqual([
      ['container.apparmor.security.beta.kubernetes.io/hello', 'localhost/k8s-apparmor-example-allow-write'],
    ]);
    // Same container as hello-apparmor; only the profile differs.
    expect(second.spec).toEqual(first.spec);
    // Never loaded: the loader's ConfigMap holds only the deny-write profile.
    const profiles = findOne(result.docs, 'ConfigMap', 'apparmor-profiles').data;
    expect(Object.keys(profiles)).toEqual(['k8s-apparmor-example-deny-write']);
    expect(Object.values(profiles).join('\n')).not.toContain('allow-write');
    // The 1.30+ form asks through the field, as the current tutorial writes it.
    const field = synthConstructs(
      (c) => new AppArmor(c, 'app', { unloadedProfileExample: true, profileForm: AppArmorProfileForm.FIELD }),
    );
    expect(findOne(field.docs, 'Pod', 'hello-apparmor-2').spec.securityContext.appArmorProfile).toEqual({
      type: 'Localhost',
      localhostProfile: 'k8s-apparmor-example-allow-write',
    });
  });

  it('writes only the Pod when the profile is loaded another way, and follows the namespace', () => {
    const result = synthConstructs((c) => new AppArmor(c, 'app', { loader: false, namespace: 'aa' }));
    expect(harnessFindings(result)).toEqual([]);
    expect(result.docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'Pod/aa/hello-apparmor',
    ]);
  });

  it('puts loader, ConfigMap and Pod in one namespace, and honours the mirror setting for both images', () => {
    const result = synthConstructs((c) => {
      c.node.setContext('imageRegistry', 'mirror.example.com/k8s');
      new AppArmor(c, 'app', { namespace: 'apparmor', loaderPollSeconds: 10 });
    });
    expect(harnessFindings(result)).toEqual([]);
    expect(new Set(result.docs.map((d) => d.metadata.namespace))).toEqual(new Set(['apparmor']));
    const loader = findOne(result.docs, 'DaemonSet', 'apparmor-loader').spec.template.spec.containers[0];
    expect(loader.image).toBe('mirror.example.com/k8s/e2e-test-images/apparmor-loader:1.4');
    expect(loader.args.slice(0, 2)).toEqual(['-poll', '10s']);
    expect(findOne(result.docs, 'Pod', 'hello-apparmor').spec.containers[0].image).toBe(
      'mirror.example.com/k8s/library/busybox:1.28',
    );
  });

  it.each([
    [
      { profileForm: 'both' as AppArmorProfileForm },
      /AppArmor at 'test\/app': prop 'profileForm' is "both"; must be one of "annotation", "field"/,
    ],
    [{ namespace: 'AppArmor' }, /AppArmor at 'test\/app': prop 'namespace' is "AppArmor"; must be an RFC 1123 label/],
    [{ loaderPollSeconds: 0 }, /prop 'loaderPollSeconds' is 0; must be an integer between 1 and 3600/],
    [{ loader: false, loaderImage: 'x:1' }, /prop 'loaderImage' is "x:1"; only applies with loader: true/],
    [{ loader: false, loaderPollSeconds: 5 }, /prop 'loaderPollSeconds' is 5; only applies with loader: true/],
    [{ image: 'busy box' }, /prop 'image' is "busy box"; must be an image reference/],
    [{ loaderImage: 'Loader' }, /prop 'loaderImage' is "Loader"; must be an image reference/],
  ])('refuses %j with a message naming construct, prop, value and rule', (props, message) => {
    expect(() => synthConstructs((c) => new AppArmor(c, 'app', props))).toThrow(message);
  });
});
