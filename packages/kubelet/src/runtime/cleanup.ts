/**
 * Stopping a node for good. A kubelet that exits leaves its containers running, as Kubernetes
 * does (a restarted kubelet adopts them); tearing a cluster down has to stop them too.
 */
import { findContainerProcesses, killAndWait } from './proc.js';

/** SIGKILLs every container process of the node whose root dir is `rootDir`; resolves with how many. */
export async function killNodeContainers(rootDir: string): Promise<number> {
  const found = findContainerProcesses(rootDir);
  await Promise.all(found.map((p) => killAndWait(p.pid, p.startTime)));
  return found.length;
}
