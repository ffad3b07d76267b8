/**
 * The operations path the README, docs/infrastructure.md and docs/applying.md give: what a
 * user types to deploy, verify and tear down. These read the documents, so a step that no
 * longer works on GKE cannot come back unnoticed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TUTORIAL_CHARTS } from '../apps/charts';

const read = (file: string) => fs.readFileSync(path.join(__dirname, '..', file), 'utf8');
const DOCS = { 'docs/infrastructure.md': read('docs/infrastructure.md') };
/** The lines of a document's ```sh blocks. */
const shellLines = (text: string) => [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));

describe.each(Object.entries(DOCS))('%s', (_file, text) => {
  const sh = shellLines(text);

  it('lists kubectl and gke-gcloud-auth-plugin as prerequisites', () => {
    expect(text).toMatch(/Prerequisites:[^]*kubectl[^]*gke-gcloud-auth-plugin/);
  });

  it('enables the four APIs the stacks need: compute, container, iam, cloudresourcemanager', () => {
    const enable = sh
      .join('\n')
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .find((l) => l.includes('gcloud services enable'));
    for (const api of ['compute', 'container', 'iam', 'cloudresourcemanager'])
      expect(enable).toContain(`${api}.googleapis.com`);
  });

  it("reads kube-proxy's mode with a node debug Pod, not over SSH (the custom VPC allows none)", () => {
    expect(text).toMatch(/kubectl debug "?node\/[^\n]*--image=busybox:1\.28[^\n]*localhost:10249\/proxyMode/);
    expect(sh.filter((l) => l.includes('gcloud compute ssh'))).toEqual([]);
  });

  it("tears down namespace by namespace: every kubectl delete -f names the namespace (kube-system's chart names its own)", () => {
    const deletes = sh.filter((l) => /kubectl delete [^|]*-f /.test(l));
    expect(deletes.length).toBeGreaterThan(0);
    for (const l of deletes) {
      expect([l, / -n /.test(l) || l.includes('dist/guestbook-logging.k8s.yaml')]).toEqual([l, true]);
    }
    // Claims per namespace, after their Pods are gone; never the all-namespaces sweep that
    // leaves claims protected while Pods elsewhere still use them.
    expect(sh.some((l) => /kubectl delete pvc --all -n /.test(l))).toBe(true);
    expect(sh.filter((l) => l.includes('--all-namespaces') && l.includes('delete'))).toEqual([]);
  });
});

describe('README', () => {
  const readme = read('README.md');

  it('applies each chart into a namespace of its own, with chart ids the registry has', () => {
    const loops = [...readme.matchAll(/for t in ([a-z -]+); do/g)].map((m) => m[1].trim().split(/\s+/));
    expect(loops.length).toBeGreaterThan(0);
    const ids = TUTORIAL_CHARTS.map((c) => c.id);
    for (const t of loops.flat()) expect(ids).toContain(t);
    expect(readme).toContain('kubectl apply -n "$t" -f "dist/$t.k8s.yaml"');
  });

  it('points at the documents that hold the rest of the operations path', () => {
    for (const doc of ['docs/applying.md', 'docs/infrastructure.md', 'docs/operations.md', 'docs/verify.md']) {
      expect(readme).toContain(`\`${doc}\``);
      expect(fs.existsSync(path.join(__dirname, '..', doc))).toBe(true);
    }
  });
});

describe('docs/applying.md', () => {
  const applying = read('docs/applying.md');

  it('says what Kubernetes 1.30+ does with a Pod whose AppArmor profile is not loaded', () => {
    expect(applying).not.toMatch(/is refused and not retried/);
    expect(applying).toMatch(/CreateContainerError/);
    expect(applying).toMatch(/apparmor profile not found k8s-apparmor-example-allow-write/);
  });
});
