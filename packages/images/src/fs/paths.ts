/** Pure container-path arithmetic: POSIX paths inside a container, where `/..` is `/`. */

/** Splits a container path into components, resolving `.` and `..` against `cwd`; never climbs above `/`. */
export function containerComponents(path: string, cwd = '/'): string[] {
  const full = path.startsWith('/') ? path : `${cwd.endsWith('/') ? cwd : `${cwd}/`}${path}`;
  const out: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

/** Normalizes a container path to an absolute one (`a/../b` from `/x` is `/x/b`). */
export function normalizeContainerPath(path: string, cwd = '/'): string {
  return `/${containerComponents(path, cwd).join('/')}`;
}

/** The last component of a path (`basename`), ignoring trailing slashes. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path.startsWith('/') ? '/' : '';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Everything but the last component (`dirname`). */
export function dirName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path.startsWith('/') ? '/' : '.';
  const at = trimmed.lastIndexOf('/');
  if (at < 0) return '.';
  const dir = trimmed.slice(0, at).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}
