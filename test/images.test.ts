/**
 * Image references as Docker reads them (lib/internal/images.ts): which part is the registry,
 * which references a construct accepts, and how the mirror setting rewrites them.
 */
import { Construct } from 'constructs';
import { IMAGE_REGISTRY_CONTEXT, resolveImage, splitImage } from '../lib';
import { testApp } from './harness';

describe('splitImage (Docker: the first component is a registry when it has a dot or a port, or is localhost)', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx'],
    ['nginx:1.28', 'docker.io', 'library/nginx:1.28'],
    ['luksa/kubia', 'docker.io', 'luksa/kubia'],
    ['myhost/team/app:1', 'docker.io', 'myhost/team/app:1'],
    ['registry.k8s.io/echoserver:1.4', 'registry.k8s.io', 'echoserver:1.4'],
    [
      'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5',
      'us-docker.pkg.dev',
      'google-samples/containers/gke/gb-frontend:v5',
    ],
    ['localhost/app:1', 'localhost', 'app:1'],
    ['localhost:5000/app:1', 'localhost:5000', 'app:1'],
    ['mirror:5000/library/nginx:1.28', 'mirror:5000', 'library/nginx:1.28'],
    ['localhostx/app:1', 'docker.io', 'localhostx/app:1'],
    ['mylocalhost/app:1', 'docker.io', 'mylocalhost/app:1'],
  ])('%s: registry %s, path %s', (image, registry, path) => {
    expect(splitImage(image)).toEqual({ registry, path });
  });
});

describe('resolveImage', () => {
  const scope = (mirror?: string) => {
    const app = testApp();
    if (mirror) app.node.setContext(IMAGE_REGISTRY_CONTEXT, mirror);
    return new Construct(app, 'demo');
  };

  it.each([
    'nginx',
    'nginx:1.28',
    'localhost:5000/team/app:1.0',
    'registry.k8s.io/echoserver:1.4',
    `us-docker.pkg.dev/a/b@sha256:${'0'.repeat(64)}`,
    `nginx:1.28@sha256:${'a'.repeat(64)}`,
    'a.b-c/d__e:v1_x.y-z',
  ])('accepts %s as written without a mirror', (image) => {
    expect(resolveImage(scope(), 'image', image)).toBe(image);
  });

  it.each([
    'Nginx',
    'nginx:',
    'nginx::1',
    ':1',
    'nginx:1 ',
    `nginx@sha256:${'0'.repeat(63)}`,
    'a//b',
    `nginx:${'x'.repeat(129)}`,
  ])('refuses %j, naming the prop and the rule', (image) => {
    expect(() => resolveImage(scope(), 'image', image)).toThrow(
      `Construct at 'demo': prop 'image' is ${JSON.stringify(image)}; must be an image reference such as "nginx:1.28" or "registry.k8s.io/echoserver:1.4"`,
    );
  });
});

describe('resolveImage with a mirror (IMAGE_REGISTRY)', () => {
  it.each([
    ['mirror.example.com/hub', 'nginx:1.28', 'mirror.example.com/hub/library/nginx:1.28'],
    ['mirror.example.com/hub/', 'luksa/kubia', 'mirror.example.com/hub/luksa/kubia'],
    ['mirror.example.com//', 'registry.k8s.io/echoserver:1.4', 'mirror.example.com/echoserver:1.4'],
  ])('under %s, serves %s as %s', (mirror, image, served) => {
    const app = testApp();
    app.node.setContext(IMAGE_REGISTRY_CONTEXT, mirror);
    expect(resolveImage(new Construct(app, 'demo'), 'image', image)).toBe(served);
  });
});
