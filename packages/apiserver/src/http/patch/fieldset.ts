/**
 * Field sets for managedFields: which fields of an object a manager owns, in the path notation of
 * sigs.k8s.io/structured-merge-diff. A path is a list of elements:
 *
 * - `f:<name>`: a field of a map or struct;
 * - `k:{"name":"app"}`: the element of a keyed list whose merge key has that value;
 * - `v:"value"`: the element of a set (a merge list of primitives such as finalizers).
 *
 * Lists without a merge strategy are atomic: the list is one leaf. Sets travel as FieldsV1
 * objects (`{"f:spec":{"f:replicas":{}}}`), where `".": {}` marks a node that is itself owned
 * besides its children (each keyed-list element is).
 *
 * Approximation: keyed lists are keyed by their patchMergeKey only, where structured-merge-diff
 * uses every listMapKey (container ports are keyed by containerPort and protocol upstream).
 */
import { deepEqual, isObject, type JsonObject } from './json.js';
import { fieldSchema, itemSchema, listSchema, type FieldSchema, type StructSchema } from './schema.js';

export type FieldPath = string[];

/** A set of field paths, keyed by their JSON encoding. */
export type FieldSet = Map<string, FieldPath>;

/** Fields never tracked: identity and bookkeeping that no manager owns (fieldmanager's stripSet). */
const STRIPPED: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:resourceVersion'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:deletionTimestamp'],
  ['f:metadata', 'f:deletionGracePeriodSeconds'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:managedFields'],
];

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

export function addPath(set: FieldSet, path: FieldPath): void {
  set.set(pathKey(path), path);
}

/** Every owned-able field path of an object: leaves, plus each keyed-list element itself. */
export function fieldsOfObject(obj: unknown, schema: StructSchema): FieldSet {
  const set: FieldSet = new Map();
  collect(obj, schema, [], set);
  for (const path of STRIPPED) set.delete(pathKey(path));
  // An empty metadata map is all that is left once identity fields are stripped: not a field.
  if (isObject(obj) && isObject(obj.metadata)) {
    const meta = [...set.values()].some((p) => p[0] === 'f:metadata' && p.length > 1);
    if (!meta) set.delete(pathKey(['f:metadata']));
  }
  return set;
}

function collect(value: unknown, schema: FieldSchema | undefined, prefix: FieldPath, out: FieldSet): void {
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
    if (entries.length === 0 && prefix.length > 0) addPath(out, prefix);
    for (const [key, child] of entries) collect(child, fieldSchema(schema, key), [...prefix, `f:${key}`], out);
    return;
  }
  const list = listSchema(schema);
  if (Array.isArray(value) && list) {
    for (const el of value) {
      if (list.mergeKey) {
        if (!isObject(el) || el[list.mergeKey] === undefined) continue;
        const elementPath = [...prefix, keyElement(list.mergeKey, el[list.mergeKey])];
        addPath(out, elementPath);
        collect(el, itemSchema(list), elementPath, out);
      } else {
        addPath(out, [...prefix, `v:${JSON.stringify(el)}`]);
      }
    }
    return;
  }
  addPath(out, prefix);
}

function keyElement(mergeKey: string, value: unknown): string {
  return `k:${JSON.stringify({ [mergeKey]: value })}`;
}

/** Finds the value at a path. */
export function getAtPath(obj: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let node: unknown = obj;
  for (const el of path) {
    const next = step(node, el);
    if (!next.found) return { found: false };
    node = next.value;
  }
  return { found: true, value: node };
}

function step(node: unknown, el: string): { found: boolean; value?: unknown; index?: number } {
  const body = el.slice(2);
  if (el.startsWith('f:')) {
    return isObject(node) && Object.prototype.hasOwnProperty.call(node, body) ? { found: true, value: node[body] } : { found: false };
  }
  if (!Array.isArray(node)) return { found: false };
  let index = -1;
  if (el.startsWith('k:')) {
    const keys = JSON.parse(body) as JsonObject;
    index = node.findIndex((item) => isObject(item) && Object.entries(keys).every(([k, v]) => deepEqual(item[k], v)));
  } else if (el.startsWith('v:')) {
    const wanted = JSON.parse(body) as unknown;
    index = node.findIndex((item) => deepEqual(item, wanted));
  } else if (el.startsWith('i:')) {
    index = Number(body) < node.length ? Number(body) : -1;
  }
  return index < 0 ? { found: false } : { found: true, value: node[index], index };
}

/** Removes the field or list element at a path (in place); a missing path is a no-op. */
export function removeAtPath(obj: unknown, path: FieldPath): void {
  if (path.length === 0) return;
  const parent = getAtPath(obj, path.slice(0, -1));
  if (!parent.found) return;
  const last = path[path.length - 1];
  if (last.startsWith('f:')) {
    if (isObject(parent.value)) delete parent.value[last.slice(2)];
    return;
  }
  const hit = step(parent.value, last);
  if (hit.found && Array.isArray(parent.value)) parent.value.splice(hit.index!, 1);
}

/** The keys of every path of the set that has another path of the set below it. */
export function innerPaths(set: FieldSet): Set<string> {
  const inner = new Set<string>();
  for (const path of set.values()) {
    for (let n = 1; n < path.length; n++) {
      const key = pathKey(path.slice(0, n));
      if (set.has(key)) inner.add(key);
    }
  }
  return inner;
}

/**
 * Renders a path the way the apiserver prints conflicts: `.spec.replicas`,
 * `.spec.containers[name="app"].image`, `.metadata.finalizers[="x"]`.
 */
export function pathString(path: FieldPath): string {
  return path
    .map((el) => {
      const body = el.slice(2);
      if (el.startsWith('f:')) return `.${body}`;
      if (el.startsWith('v:')) return `[=${body}]`;
      if (el.startsWith('i:')) return `[${body}]`;
      const keys = JSON.parse(body) as JsonObject;
      return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}

interface TrieNode {
  member: boolean;
  children: Map<string, TrieNode>;
}

/** Encodes a set as a FieldsV1 object. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: TrieNode = { member: false, children: new Map() };
  for (const path of set.values()) {
    let node = root;
    for (const el of path) {
      let next = node.children.get(el);
      if (!next) node.children.set(el, (next = { member: false, children: new Map() }));
      node = next;
    }
    node.member = true;
  }
  return encodeNode(root);
}

function encodeNode(node: TrieNode): JsonObject {
  const out: JsonObject = {};
  if (node.member && node.children.size > 0) out['.'] = {};
  for (const [el, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[el] = encodeNode(child);
  return out;
}

/** Decodes a FieldsV1 object into a set; anything malformed is skipped. */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set: FieldSet = new Map();
  const walk = (node: unknown, prefix: FieldPath): void => {
    if (!isObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === '.') {
        if (prefix.length > 0) addPath(set, prefix);
        continue;
      }
      const path = [...prefix, key];
      if (isObject(child) && Object.keys(child).length === 0) addPath(set, path);
      else walk(child, path);
    }
  };
  walk(fields, []);
  return set;
}
