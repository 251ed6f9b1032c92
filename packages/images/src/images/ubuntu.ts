import type { ImageDefinition } from '../process.js';
import { DASH_SH, debianPrograms, DEFAULT_PATH } from './common.js';

/** ubuntu: dash as /bin/sh, bash, the utilities; default `/bin/bash` exits at once (no TTY). */
export const ubuntu: ImageDefinition = {
  name: 'ubuntu',
  description: 'ubuntu: dash as sh, bash and the utilities; default `/bin/bash` exits at once',
  repositories: ['docker.io/library/ubuntu'],
  entrypoint: [],
  cmd: ['/bin/bash'],
  env: { PATH: DEFAULT_PATH },
  programs: debianPrograms(),
  shell: DASH_SH,
  files: () => ({
    '/etc/os-release':
      'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nUBUNTU_CODENAME=jammy\n',
  }),
};
