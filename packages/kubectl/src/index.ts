/**
 * @kubesim/kubectl: a kubectl-compatible client for kubesim (and any Kubernetes apiserver speaking
 * the same HTTP API), driven by a kubeconfig.
 */
export { runKubectl } from './run.js';
export type { KubectlIo } from './session.js';
