import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../src/reference.js';
import { resolveImage } from '../src/registry.js';
import { nginxVersionForTag } from '../src/images/nginx/versions.js';

describe('parseImageReference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', path: 'library/nginx', tag: 'latest' }],
    ['nginx:1.25', { registry: 'docker.io', path: 'library/nginx', tag: '1.25' }],
    ['kubesim/web:v2', { registry: 'docker.io', path: 'kubesim/web', tag: 'v2' }],
    ['registry.k8s.io/e2e-test-images/agnhost:2.40', { registry: 'registry.k8s.io', path: 'e2e-test-images/agnhost', tag: '2.40' }],
    ['localhost:5000/app', { registry: 'localhost:5000', path: 'app', tag: 'latest' }],
    [`busybox@sha256:${'a'.repeat(64)}`, { registry: 'docker.io', path: 'library/busybox', digest: `sha256:${'a'.repeat(64)}` }],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });

  it.each(['', 'Nginx', 'nginx:', 'a b', 'nginx@sha256:xyz', ' nginx'])('rejects %j', (image) => {
    expect(parseImageReference(image)).toBeUndefined();
  });
});

describe('resolveImage', () => {
  it.each([
    ['nginx', 'nginx', 'docker.io/library/nginx:latest'],
    ['nginx:alpine', 'nginx', 'docker.io/library/nginx:alpine'],
    ['docker.io/library/nginx:1.14.2', 'nginx', 'docker.io/library/nginx:1.14.2'],
    ['busybox:1.28', 'busybox', 'docker.io/library/busybox:1.28'],
    ['registry.k8s.io/busybox', 'busybox', 'registry.k8s.io/busybox:latest'],
    ['kubesim/echo:v7', 'kubesim/echo', 'docker.io/kubesim/echo:v7'],
    ['kubesim/web:v1', 'kubesim/web', 'docker.io/kubesim/web:v1'],
    ['gcr.io/google-samples/hello-app:2.0', 'hello-app', 'gcr.io/google-samples/hello-app:2.0'],
    ['us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0', 'hello-app', 'us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0'],
    ['k8s.gcr.io/hpa-example', 'hpa-example', 'k8s.gcr.io/hpa-example:latest'],
    ['registry.k8s.io/liveness', 'liveness', 'registry.k8s.io/liveness:latest'],
    ['hashicorp/http-echo:0.2.3', 'http-echo', 'docker.io/hashicorp/http-echo:0.2.3'],
    ['redis:7', 'redis', 'docker.io/library/redis:7'],
    ['registry.k8s.io/pause:3.9', 'pause', 'registry.k8s.io/pause:3.9'],
    ['k8s.gcr.io/echoserver:1.4', 'echoserver', 'k8s.gcr.io/echoserver:1.4'],
    ['registry.k8s.io/nginx-slim:0.24', 'nginx-slim', 'registry.k8s.io/nginx-slim:0.24'],
    ['gcr.io/google-samples/kubernetes-bootcamp:v1', 'kubernetes-bootcamp', 'gcr.io/google-samples/kubernetes-bootcamp:v1'],
    ['kicbase/echo-server:1.0', 'echo-server', 'docker.io/kicbase/echo-server:1.0'],
    ['perl:5.34.0', 'perl', 'docker.io/library/perl:5.34.0'],
  ])('%s is %s', (image, name, canonical) => {
    expect(resolveImage(image)).toMatchObject({ name, canonical });
  });

  it.each(['nginx:1.161', 'kubesim/web:v3', 'gcr.io/google-samples/kubernetes-bootcamp:v10', 'gcr.io/google-samples/hello-app:9.9', 'example.com/unknown:1', 'mysql:8'])('does not know %s (ErrImagePull)', (image) => {
    expect(resolveImage(image)).toBeUndefined();
  });

  it('gives a stable image ID', () => {
    expect(resolveImage('nginx:1.25')?.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(resolveImage('nginx:1.25')?.imageID).toBe(resolveImage('docker.io/library/nginx:1.25')?.imageID);
  });
});

describe('nginx tags', () => {
  it.each([
    ['1.25', '1.25.5'],
    ['1.14.2', '1.14.2'],
    ['1.16.1-alpine', '1.16.1'],
    ['alpine', '1.27.5'],
    ['stable', '1.26.3'],
    ['1.161', undefined],
    ['1.16.9', undefined],
    ['2.0', undefined],
    ['banana', undefined],
  ])('%s runs %s', (tag, version) => {
    expect(nginxVersionForTag(tag)).toBe(version);
  });
});
