/**
 * Packetbeat of GuestbookLogging: the DaemonSet `packetbeat-dynamic`, which sniffs every node's
 * traffic (the guestbook's Redis and HTTP included), with its ServiceAccount, RBAC and
 * configuration.
 */
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { skipChecks } from '../internal/scan';
import { runtimeDefaultSeccomp, selectByLabels, tutorialContainer } from '../internal/workload';
import { packetbeatConfig } from './beats-configs';
import {
  BEAT_HOST_NETWORK,
  BEAT_NO_LIMITS,
  BEAT_RUNTIME,
  BEAT_SKIPS,
  BeatsContext,
  PACKETBEAT_REQUESTS,
  beatRootSkips,
  podMetadataRules,
} from './beats';

/** The DaemonSet `packetbeat-dynamic`, its account and configuration; `labels` are its Pods'. */
export function addPacketbeat(b: BeatsContext, image: string, labels: Record<string, string>): kplus.DaemonSet {
  const legacy = b.legacy;
  const sa = b.serviceAccountAndRole(
    'packetbeat-dynamic',
    { 'k8s-app': 'packetbeat-dynamic' },
    podMetadataRules(legacy),
  );
  const cm = b.configMap('packetbeat-dynamic-config', labels, {
    'packetbeat.yml': packetbeatConfig(b.release),
  });
  const config = b.configVolume('packetbeat-config', cm);
  const data = kplus.Volume.fromEmptyDir(b.scope, 'packetbeat-data', 'data');
  const ds = new kplus.DaemonSet(b.scope, 'packetbeat', {
    // hostNetwork, as in the source: `packetbeat.interfaces.device: any` then sniffs every
    // interface of the node, so it sees the traffic of all Pods on it, the guestbook's
    // Redis (6379) and HTTP (80) included; in the Pod's own network namespace it would see
    // only its own traffic. ClusterFirstWithHostNet keeps cluster DNS.
    ...b.workloadProps('packetbeat-dynamic', labels, sa, { hostNetwork: true }),
    terminationGracePeriod: Duration.seconds(30),
    containers: [
      tutorialContainer({
        name: 'packetbeat-dynamic',
        image,
        args: ['-c', '/etc/packetbeat.yml', '-e'],
        envVariables: b.beatEnv(
          legacy ? {} : { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) },
        ),
        volumeMounts: [
          { path: '/etc/packetbeat.yml', volume: config, readOnly: true, subPath: 'packetbeat.yml' },
          { path: '/usr/share/packetbeat/data', volume: data },
        ],
        resources: PACKETBEAT_REQUESTS,
        // runAsUser 0 and NET_ADMIN, exactly the source's security context: capturing packets
        // needs root with NET_ADMIN and NET_RAW ("Run Packetbeat on Docker": --cap-add=NET_ADMIN
        // --cap-add=NET_RAW); NET_RAW is in containerd's default capability set.
        runtime: BEAT_RUNTIME,
        securityContext: { user: 0 },
      }),
    ],
  });
  runtimeDefaultSeccomp(ds);
  selectByLabels(ds, labels);
  // cdk8s-plus spells capabilities CAP_NET_ADMIN; the source's, and Kubernetes' documented,
  // form is NET_ADMIN.
  ApiObject.of(ds).addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { add: ['NET_ADMIN'] }),
  );
  const sniffs =
    "exactly the source's security context: capturing packets needs root with NET_ADMIN and NET_RAW (Run Packetbeat on Docker)";
  skipChecks(ds, {
    ...BEAT_SKIPS,
    ...beatRootSkips('capturing packets needs root', 'add_kubernetes_metadata'),
    ...BEAT_NO_LIMITS,
    CKV_K8S_19: BEAT_HOST_NETWORK.packetbeat,
    CKV_K8S_25: `the source adds NET_ADMIN: ${sniffs}`,
    CKV_K8S_28: `NET_RAW is kept: ${sniffs}`,
    CKV_K8S_37: sniffs,
  });
  return ds;
}
