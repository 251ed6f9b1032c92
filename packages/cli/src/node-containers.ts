import fs from 'node:fs';
import path from 'node:path';

/** SIGKILLs the container processes of every node under `<dataDir>/nodes`; resolves with how many. */
export async function stopNodeContainers(dataDir: string): Promise<number> {
  const nodesDir = path.join(dataDir, 'nodes');
  if (!fs.existsSync(nodesDir)) return 0;
  // Loaded only when there are nodes, so `down` works even where the kubelet is not built.
  const { killNodeContainers } = await import('@kubesim/kubelet');
  let n = 0;
  for (const node of fs.readdirSync(nodesDir)) n += await killNodeContainers(path.join(nodesDir, node));
  return n;
}
