import type { ImageDefinition } from '../process.js';
import { DASH_SH, debianPrograms, DEFAULT_PATH } from './common.js';

/** debian: dash as /bin/sh, bash, the utilities; default `bash` exits at once (no TTY). */
export const debian: ImageDefinition = {
  name: 'debian',
  description: 'debian: dash as sh, bash and the utilities; default `bash` exits at once',
  repositories: ['docker.io/library/debian'],
  entrypoint: [],
  cmd: ['bash'],
  env: { PATH: DEFAULT_PATH },
  programs: debianPrograms(),
  shell: DASH_SH,
  files: () => ({
    '/etc/os-release':
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
    '/etc/debian_version': '12.5\n',
  }),
};
