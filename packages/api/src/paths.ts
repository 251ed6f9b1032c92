/**
 * Kubernetes REST paths, both ways: {@link buildPath} for clients, {@link parsePath} for the
 * apiserver's router. `/api/v1/namespaces/default/pods/web/log` ⇄ {group:"", version:"v1",
 * namespace:"default", resource:"pods", name:"web", subresource:"log"}.
 */
import { findResource } from './resources.js';

export interface ResourcePath {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Builds the REST path for a resource request (no query string). */
export function buildPath(p: ResourcePath): string {
  const root = p.group ? `/apis/${p.group}/${p.version}` : `/api/${p.version}`;
  const ns = p.namespace ? `/namespaces/${encodeURIComponent(p.namespace)}` : '';
  // A namespace object itself lives at /api/v1/namespaces/NAME, not under a namespace.
  let path = p.resource === 'namespaces' && !p.group ? `${root}/namespaces` : `${root}${ns}/${p.resource}`;
  if (p.name !== undefined) path += `/${encodeURIComponent(p.name)}`;
  if (p.subresource) path += `/${p.subresource}`;
  return path;
}

/**
 * Parses a resource path. Returns undefined for paths that are not resource paths (discovery,
 * /version, unknown shapes). The resource itself is not checked against the served table.
 */
export function parsePath(pathname: string): ResourcePath | undefined {
  const parts = pathname.split('/').filter((s) => s !== '').map(safeDecode);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;

  // /namespaces/NS/<resource>/... is namespaced, unless the resource is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && isNamespaceSub(rest[2]))) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length > 0) return undefined;
    return { group, version, resource, namespace, name, subresource };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length > 0) return undefined;
  return { group, version, resource, name, subresource };
}

function isNamespaceSub(seg: string): boolean {
  // /api/v1/namespaces/NAME/status and /finalize address the Namespace object's subresources,
  // while /api/v1/namespaces/NAME/pods is the pods collection in NAME.
  return (seg === 'status' || seg === 'finalize') && !findResource('', 'v1', seg);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
