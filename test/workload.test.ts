/**
 * The security contexts lib/internal/workload.ts writes for an image's runtime (decision D5), as
 * the kubelet reads them: root images keep their own user and only lose NET_RAW, other images
 * run as their numeric user with every capability dropped, and a group is written when given.
 */
import { containerSecurity, podSecurity } from '../lib/internal/workload';

describe('containerSecurity (raw k8s containers)', () => {
  it('leaves a root image its own user, drops NET_RAW only, and keeps the root filesystem read-only unless it writes there', () => {
    expect(containerSecurity({ user: 0, writesRootFilesystem: false })).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['NET_RAW'] },
      readOnlyRootFilesystem: true,
    });
    expect(containerSecurity({ user: 0, writesRootFilesystem: true }).readOnlyRootFilesystem).toBe(false);
  });

  it('runs any other image as its numeric user and group, with every capability dropped', () => {
    expect(containerSecurity({ user: 1000, group: 2000, writesRootFilesystem: false })).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 2000,
    });
  });

  it('lets capabilities or privilege given by the caller replace the dropped list', () => {
    const extra = { capabilities: { add: ['NET_ADMIN'] } };
    expect(containerSecurity({ user: 0, writesRootFilesystem: false }, extra).capabilities).toEqual({
      add: ['NET_ADMIN'],
    });
    expect(containerSecurity({ user: 0, writesRootFilesystem: false }, { privileged: true })).not.toHaveProperty(
      'capabilities',
    );
  });
});

describe('podSecurity (cdk8s-plus workloads)', () => {
  it('does not ask for a non-root user for a root image, which the kubelet would then refuse to start', () => {
    expect(podSecurity({ user: 0, writesRootFilesystem: false })).toEqual({ ensureNonRoot: false });
  });

  it('names the user, and the group when the image has one', () => {
    expect(podSecurity({ user: 65534, writesRootFilesystem: false })).toEqual({ ensureNonRoot: true, user: 65534 });
    expect(podSecurity({ user: 999, group: 999, writesRootFilesystem: false })).toEqual({
      ensureNonRoot: true,
      user: 999,
      group: 999,
    });
  });
});
