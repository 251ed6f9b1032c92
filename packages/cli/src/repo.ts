import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place (packages/cli/dist/repo.js), so any cwd works. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of `rel` inside `root` (the repository root unless given). */
export function repoPath(rel: string, root = REPO_ROOT): string {
  return path.join(root, rel);
}
