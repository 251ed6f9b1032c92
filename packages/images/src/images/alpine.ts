import type { ImageDefinition } from '../process.js';
import { BUSYBOX_SH, busyboxPrograms, DEFAULT_PATH } from './common.js';

/** alpine: busybox's shell and applets, Alpine's /etc/os-release; default `/bin/sh` exits at once. */
export const alpine: ImageDefinition = {
  name: 'alpine',
  description: 'alpine: like busybox (ash and applets), with Alpine\'s /etc/os-release',
  repositories: ['docker.io/library/alpine'],
  entrypoint: [],
  cmd: ['/bin/sh'],
  env: { PATH: DEFAULT_PATH },
  programs: busyboxPrograms(),
  shell: BUSYBOX_SH,
  files: () => ({
    '/etc/os-release':
      'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
    '/etc/alpine-release': '3.19.1\n',
  }),
};
