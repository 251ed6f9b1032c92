import { createHash } from 'node:crypto';
import { agnhost, livenessImage } from './images/agnhost/index.js';
import { alpine } from './images/alpine.js';
import { busybox } from './images/busybox.js';
import { debian } from './images/debian.js';
import { echoServerImage } from './images/echo-server.js';
import { echoserver } from './images/echoserver.js';
import { goproxy } from './images/goproxy.js';
import { helloApp } from './images/hello-app.js';
import { helloFrontend } from './images/hello-frontend.js';
import { helloGoGke } from './images/hello-go-gke.js';
import { hpaExample } from './images/hpa-example.js';
import { kubernetesBootcamp } from './images/kubernetes-bootcamp.js';
import { httpEcho } from './images/http-echo.js';
import { kubesimCounter } from './images/kubesim-counter.js';
import { kubesimCpuBurner } from './images/kubesim-cpu-burner.js';
import { kubesimCrasher } from './images/kubesim-crasher.js';
import { kubesimEcho } from './images/kubesim-echo.js';
import { kubesimSleep } from './images/kubesim-sleep.js';
import { kubesimWeb } from './images/kubesim-web.js';
import { nginx, nginxSlim } from './images/nginx/index.js';
import { pause } from './images/pause.js';
import { perlImage } from './images/perl.js';
import { redis } from './images/redis/index.js';
import { ubuntu } from './images/ubuntu.js';
import type { ImageDefinition } from './process.js';
import { formatReference, parseImageReference, repositoryOf, type ImageReference } from './reference.js';
import type { ImageInfo } from './types.js';

/** Every image kubesim can run. */
export const IMAGES: readonly ImageDefinition[] = [
  kubesimEcho, kubesimWeb, kubesimCrasher, kubesimCpuBurner, kubesimSleep, kubesimCounter,
  nginx, busybox, alpine, ubuntu, debian, helloApp, hpaExample, agnhost, livenessImage, httpEcho, redis, pause, echoserver, goproxy, perlImage,
  nginxSlim, kubernetesBootcamp, echoServerImage, helloGoGke, helloFrontend,
];

/** Finds the image a reference names, with the parsed reference; undefined for an unknown repository or tag. */
export function findImage(image: string): { image: ImageDefinition; ref: ImageReference } | undefined {
  const ref = parseImageReference(image);
  if (!ref) return undefined;
  const repository = repositoryOf(ref);
  const def = IMAGES.find((d) => d.repositories.includes(repository));
  if (!def) return undefined;
  if (ref.tag && !ref.digest && def.tagExists && !def.tagExists(ref.tag)) return undefined;
  return { image: def, ref };
}

/** Resolves an image reference (with or without registry, tag or digest) to a known program; undefined if unknown (ErrImagePull). */
export function resolveImage(image: string): ImageInfo | undefined {
  const found = findImage(image);
  if (!found) return undefined;
  const canonical = formatReference(found.ref);
  const digest = found.ref.digest ?? `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
  return { name: found.image.name, canonical, description: found.image.description, imageID: `${repositoryOf(found.ref)}@${digest}` };
}
