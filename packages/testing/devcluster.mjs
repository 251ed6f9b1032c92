import { TestControlPlane } from '@kubesim/testing';
import fs from 'node:fs';
const cp = await new TestControlPlane().start();
fs.writeFileSync('/tmp/ks/kubeconfig', `apiVersion: v1
kind: Config
clusters: [{name: k, cluster: {server: ${cp.apiserver.url}}}]
users: [{name: k, user: {}}]
contexts: [{name: k, context: {cluster: k, user: k, namespace: default}}]
current-context: k
`);
fs.writeFileSync('/tmp/ks/nats', cp.nats.url);
console.log('ready', cp.apiserver.url, cp.apiserver.proc.pid, cp.nats.proc.pid);
process.on('SIGTERM', async () => { await cp.stop(); process.exit(0); });
setInterval(() => {}, 1000);
