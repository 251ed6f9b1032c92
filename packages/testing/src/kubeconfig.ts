import fs from 'node:fs';

/**
 * Writes a kubeconfig for `server` (plain HTTP, no credentials: the apiserver needs none) with
 * one context, current, in `namespace`.
 */
export function writeKubeconfig(file: string, server: string, namespace = 'default'): string {
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: kubesim
  cluster:
    server: ${server}
users:
- name: kubesim
  user: {}
contexts:
- name: kubesim
  context: {cluster: kubesim, user: kubesim, namespace: ${namespace}}
current-context: kubesim
`,
  );
  return file;
}
