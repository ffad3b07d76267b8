/**
 * Filebeat of GuestbookLogging: the DaemonSet `filebeat-dynamic`, which ships every node's logs
 * (the guestbook's Redis and Apache logs through autodiscover), with its ServiceAccount, RBAC
 * and configuration.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { skipChecks } from '../internal/scan';
import { runtimeDefaultSeccomp, selectByLabels, tutorialContainer } from '../internal/workload';
import { filebeatConfig } from './beats-configs';
import {
  BEAT_NO_LIMITS,
  BEAT_RUNTIME,
  BEAT_SKIPS,
  BeatsContext,
  FILEBEAT_REQUESTS,
  beatRootSkips,
  podMetadataRules,
} from './beats';

/** The DaemonSet `filebeat-dynamic`, its account and configuration; `labels` are its Pods'. */
export function addFilebeat(b: BeatsContext, image: string, labels: Record<string, string>): kplus.DaemonSet {
  const legacy = b.legacy;
  const sa = b.serviceAccountAndRole('filebeat-dynamic', { 'k8s-app': 'filebeat-dynamic' }, podMetadataRules(legacy));
  const cm = b.configMap('filebeat-dynamic-config', labels, { 'filebeat.yml': filebeatConfig(b.release) });
  const config = b.configVolume('filebeat-config', cm);
  // Filebeat's registry (which lines it already sent) lives in path.data; the source keeps it
  // on an emptyDir, so it survives container restarts but not a new Pod.
  const data = kplus.Volume.fromEmptyDir(b.scope, 'filebeat-data', 'data');
  // The node's logs: /var/log holds the system logs and, on containerd nodes, the kubelet's
  // /var/log/containers links into /var/log/pods. Docker-runtime nodes (the tutorial's
  // release) keep container logs in /var/lib/docker/containers, and add_docker_metadata
  // reads the Docker socket; neither exists on containerd nodes, where a hostPath without a
  // type would create an empty directory in its place.
  const varlog = b.hostPath('filebeat-varlog', 'varlog', '/var/log');
  const mounts: kplus.VolumeMount[] = [
    { path: '/etc/filebeat.yml', volume: config, readOnly: true, subPath: 'filebeat.yml' },
    { path: '/usr/share/filebeat/data', volume: data },
    { path: '/var/log', volume: varlog, readOnly: true },
  ];
  if (legacy) {
    mounts.push(
      {
        path: '/var/lib/docker/containers',
        volume: b.hostPath('filebeat-docker-containers', 'varlibdockercontainers', '/var/lib/docker/containers'),
        readOnly: true,
      },
      {
        path: '/var/run/docker.sock',
        volume: b.hostPath('filebeat-docker-sock', 'dockersock', '/var/run/docker.sock'),
      },
    );
  }
  const ds = new kplus.DaemonSet(b.scope, 'filebeat', {
    ...b.workloadProps('filebeat-dynamic', labels, sa),
    terminationGracePeriod: Duration.seconds(30),
    containers: [
      tutorialContainer({
        name: 'filebeat-dynamic',
        image,
        args: ['-c', '/etc/filebeat.yml', '-e'],
        envVariables: b.beatEnv(
          legacy ? {} : { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) },
        ),
        volumeMounts: mounts,
        resources: FILEBEAT_REQUESTS,
        // runAsUser 0, as in the source and in elastic/beats' own manifests: the files under
        // /var/log/pods are owned by root and not world-readable, and the image's own user is
        // filebeat (UID 1000; Beats Dockerfile). Root filesystem: see BEAT_RUNTIME.
        runtime: BEAT_RUNTIME,
        securityContext: { user: 0 },
      }),
    ],
  });
  runtimeDefaultSeccomp(ds);
  skipChecks(ds, {
    ...BEAT_SKIPS,
    ...beatRootSkips(
      "the files under /var/log/pods are root's and not world-readable",
      'autodiscover and add_kubernetes_metadata',
    ),
    ...BEAT_NO_LIMITS,
  });
  selectByLabels(ds, labels);
  return ds;
}
