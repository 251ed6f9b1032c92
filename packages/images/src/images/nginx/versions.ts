/** Which nginx tags exist, and the version each one runs. */

/** The last patch release of each 1.x line (1.0 … 1.29). */
const LAST_PATCH = [15, 19, 9, 16, 7, 13, 3, 12, 1, 15, 3, 13, 2, 12, 2, 12, 1, 10, 0, 10, 2, 6, 1, 4, 0, 5, 3, 5, 0, 1];
const NAMED: Record<string, string> = { latest: '1.27.5', mainline: '1.27.5', stable: '1.26.3' };
const VARIANTS = /^(alpine|alpine-slim|alpine-perl|alpine-otel|perl|otel|bookworm|bookworm-perl|bookworm-otel|bullseye|bullseye-perl|buster|stretch)$/;

/** The nginx version a tag runs ("1.25" → "1.25.5", "alpine" → the latest); undefined if no such tag exists. */
export function nginxVersionForTag(tag: string): string | undefined {
  const m = /^(latest|mainline|stable|\d+(?:\.\d+){0,2})?(?:-?([a-z][a-z-]*))?$/.exec(tag);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  if (m[2] !== undefined && !VARIANTS.test(m[2])) return undefined;
  const version = m[1] ?? 'latest';
  if (NAMED[version]) return NAMED[version];
  const [major, minor, patch] = version.split('.').map(Number);
  if (major !== 1) return undefined;
  const line = minor ?? LAST_PATCH.length - 3;
  if (line >= LAST_PATCH.length) return undefined;
  if (patch !== undefined && patch > LAST_PATCH[line]) return undefined;
  return `1.${line}.${patch ?? LAST_PATCH[line]}`;
}

/** True for versions whose stock pages carry the `color-scheme` style (1.21 and later). */
export function hasModernPages(version: string): boolean {
  return Number(version.split('.')[1]) >= 21;
}
