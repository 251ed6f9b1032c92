import type { ImageDefinition } from '../process.js';
import { BUSYBOX_SH, busyboxPrograms, DEFAULT_PATH } from './common.js';

/** busybox: a shell and the applets; its default command `sh` exits at once (no TTY). */
export const busybox: ImageDefinition = {
  name: 'busybox',
  description: 'busybox: sh (ash) with the applets; runs command/args, default `sh` exits at once',
  repositories: ['docker.io/library/busybox', 'registry.k8s.io/busybox', 'k8s.gcr.io/busybox', 'gcr.io/google-containers/busybox', 'gcr.io/google_containers/busybox'],
  entrypoint: [],
  cmd: ['sh'],
  env: { PATH: DEFAULT_PATH },
  programs: busyboxPrograms(),
  shell: BUSYBOX_SH,
};
