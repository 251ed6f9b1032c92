/** Image references as Docker normalizes them: `nginx` is `docker.io/library/nginx:latest`. */

/** A parsed image reference. */
export interface ImageReference {
  /** Registry host, e.g. "docker.io", "registry.k8s.io". */
  registry: string;
  /** Path inside the registry, e.g. "library/nginx", "e2e-test-images/agnhost". */
  path: string;
  /** The tag ("latest" when neither tag nor digest is given). */
  tag?: string;
  /** "sha256:<hex>" when given. */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** Parses and normalizes a reference; undefined when it is not a valid reference (InvalidImageName). */
export function parseImageReference(image: string): ImageReference | undefined {
  let rest = image.trim();
  if (rest === '' || rest !== image) return undefined;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  const first = parts[0];
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first === 'index.docker.io' ? 'docker.io' : first;
    parts.shift();
  }
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) return undefined;
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  if (!tag && !digest) tag = 'latest';
  return { registry, path: parts.join('/'), tag, digest };
}

/** The repository without tag: "docker.io/library/nginx". */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.registry}/${ref.path}`;
}

/** The full reference: "docker.io/library/nginx:1.25" (and "@sha256:…" when pinned). */
export function formatReference(ref: ImageReference): string {
  return `${repositoryOf(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
