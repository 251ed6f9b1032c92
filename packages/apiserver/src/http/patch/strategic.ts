/**
 * Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), as
 * k8s.io/apimachinery/pkg/util/strategicpatch applies it on the server:
 *
 * - objects merge key by key; `null` deletes a key;
 * - lists with a merge key merge element by element (`containers` by `name`, ...); lists of
 *   primitives with the merge strategy merge as sets (`finalizers`); other lists are replaced;
 * - directives: `$patch: replace | delete | merge` (on a map or as a list element),
 *   `$retainKeys`, `$deleteFromPrimitiveList/<list>`, `$setElementOrder/<list>`.
 *
 * Malformed directives are 400 BadRequest. A list element without its merge key is 400 too (the
 * apiserver lets that one escape as a 500).
 */
import { BadRequestError, InvalidError } from '@kubesim/api';
import { cloneJson, deepEqual, isObject, show, type JsonObject } from './json.js';
import { fieldSchema, itemSchema, listSchema, schemaForKind, type FieldSchema, type ListSchema, type StructSchema } from './schema.js';

const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/** Returns `doc` with the strategic merge `patch` applied for `kind`; `doc` is never modified. */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string | undefined): unknown {
  if (!isObject(patch)) throw new BadRequestError(`strategic merge patch: the patch must be a JSON object, got ${show(patch)}`);
  const original = isObject(doc) ? cloneJson(doc) : {};
  const result = mergeMap(original, patch, schemaForKind(kind));
  if (result === undefined) throw new BadRequestError('strategic merge patch: $patch: delete cannot delete the whole object');
  return result;
}

/**
 * Merges a patch map into `original` (modified in place) and returns it, or undefined when the
 * patch deletes the map. Exported for server-side apply, which merges the same way.
 */
export function mergeMap(original: JsonObject, patch: JsonObject, schema: StructSchema | undefined): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _, ...rest } = patch;
    return mergeMap({}, rest, schema);
  }
  if (directive !== undefined && directive !== 'merge') {
    throw new BadRequestError(`strategic merge patch: unknown patch type ${show(directive)} in map ${show(patch)}`);
  }
  applyRetainKeys(original, patch);
  applyDeleteFromPrimitiveLists(original, patch);
  const serverOrders = new Map<string, unknown[]>();
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    serverOrders.set(field, Array.isArray(original[field]) ? [...(original[field] as unknown[])] : []);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    mergeField(original, key, value, fieldSchema(schema, key));
  }
  for (const [field, serverOrder] of serverOrders) {
    const order = patch[`${SET_ELEMENT_ORDER}${field}`];
    const merged = original[field];
    if (!Array.isArray(order)) throw new BadRequestError(`strategic merge patch: ${SET_ELEMENT_ORDER}${field} must be a list`);
    if (Array.isArray(merged)) original[field] = orderElements(merged, serverOrder, order, listSchema(fieldSchema(schema, field)), field);
  }
  return original;
}

function mergeField(original: JsonObject, key: string, value: unknown, schema: FieldSchema | undefined): void {
  if (value === null) {
    delete original[key];
    return;
  }
  const current = original[key];
  if (isObject(value)) {
    const struct = schema?.type === 'struct' ? schema : undefined;
    const merged = mergeMap(isObject(current) ? current : {}, value, struct);
    if (merged === undefined) delete original[key];
    else original[key] = merged;
  } else if (Array.isArray(value)) {
    original[key] = mergeList(Array.isArray(current) ? current : [], value, listSchema(schema));
  } else {
    original[key] = value;
  }
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  const retain = patch.$retainKeys;
  if (retain === undefined) return;
  if (!Array.isArray(retain) || !retain.every((k) => typeof k === 'string')) {
    throw new BadRequestError('strategic merge patch: $retainKeys must be a list of strings');
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith('$') && patch[key] !== null && !retain.includes(key)) {
      throw new InvalidError(`strategic merge patch: the patch sets ${show(key)}, which $retainKeys ${show(retain)} does not list`);
    }
  }
  for (const key of Object.keys(original)) if (!retain.includes(key)) delete original[key];
}

function applyDeleteFromPrimitiveLists(original: JsonObject, patch: JsonObject): void {
  for (const [key, values] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    if (!Array.isArray(values)) throw new BadRequestError(`strategic merge patch: ${key} must be a list`);
    const current = original[field];
    if (Array.isArray(current)) original[field] = current.filter((v) => !values.some((d) => deepEqual(d, v)));
  }
}

/** Merges a patch list into an original list according to the list's strategy. */
export function mergeList(original: unknown[], patch: unknown[], schema: ListSchema | undefined): unknown[] {
  const items = itemSchema(schema);
  const replaceAll = patch.some((el) => isObject(el) && el.$patch === 'replace');
  if (!schema || replaceAll) {
    const rest = replaceAll ? patch.filter((el) => !(isObject(el) && el.$patch === 'replace')) : patch;
    return rest.map((el) => cleanElement(el, items));
  }
  if (!schema.mergeKey) {
    const result = [...original];
    for (const el of patch) if (!result.some((o) => deepEqual(o, el))) result.push(el);
    return result;
  }
  const mergeKey = schema.mergeKey;
  const result = [...original];
  for (const el of patch) {
    if (!isObject(el)) throw new BadRequestError(`strategic merge patch: list element ${show(el)} is not a map, but the list merges by ${mergeKey}`);
    const directive = el.$patch;
    if (directive !== undefined && directive !== 'delete' && directive !== 'merge') {
      throw new BadRequestError(`strategic merge patch: unknown patch type ${show(directive)} in list element ${show(el)}`);
    }
    if (!(mergeKey in el)) throw new BadRequestError(`strategic merge patch: map ${show(el)} does not contain declared merge key: ${mergeKey}`);
    const index = result.findIndex((o) => isObject(o) && deepEqual(o[mergeKey], el[mergeKey]));
    if (directive === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const merged = mergeMap(index >= 0 ? (result[index] as JsonObject) : {}, el, items);
    if (merged === undefined) continue;
    if (index >= 0) result[index] = merged;
    else result.push(merged);
  }
  return result;
}

/** A patch value taken whole: directives and nulls removed, as merging it into nothing does. */
function cleanElement(el: unknown, items: StructSchema | undefined): unknown {
  return isObject(el) ? (mergeMap({}, el, items) ?? {}) : el;
}

/**
 * `$setElementOrder/<list>`: the elements named in `order` come in that order; elements only the
 * server had keep their places relative to them (strategicpatch's normalizeElementOrder).
 */
function orderElements(
  merged: unknown[],
  serverOrder: unknown[],
  order: unknown[],
  schema: ListSchema | undefined,
  field: string,
): unknown[] {
  const mergeKey = schema?.mergeKey;
  const keyOf = (el: unknown): unknown => (mergeKey && isObject(el) ? el[mergeKey] : el);
  const orderKeys = order.map((o) => {
    if (mergeKey && !(isObject(o) && mergeKey in o)) {
      throw new BadRequestError(`strategic merge patch: ${SET_ELEMENT_ORDER}${field} element ${show(o)} lacks the merge key ${mergeKey}`);
    }
    return keyOf(o);
  });
  const indexIn = (keys: unknown[], el: unknown): number => keys.findIndex((k) => deepEqual(k, keyOf(el)));
  const serverKeys = serverOrder.map(keyOf);
  const byIndex = (keys: unknown[]) => (a: unknown, b: unknown) => indexIn(keys, a) - indexIn(keys, b);
  const patchItems = merged.filter((el) => indexIn(orderKeys, el) >= 0).sort(byIndex(orderKeys));
  const serverOnly = merged.filter((el) => indexIn(orderKeys, el) < 0).sort(byIndex(serverKeys));
  return mergeSorted(serverOnly, patchItems, (l, r) => {
    const li = indexIn(serverKeys, l);
    const ri = indexIn(serverKeys, r);
    return li >= 0 && ri >= 0 && li < ri;
  });
}

/** Interleaves two sorted lists; a left element goes first only when the server had it first. */
function mergeSorted(left: unknown[], right: unknown[], leftFirst: (l: unknown, r: unknown) => boolean): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length || (i < left.length && leftFirst(left[i], right[j]))) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out;
}
