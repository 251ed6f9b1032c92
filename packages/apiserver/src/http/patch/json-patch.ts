/**
 * RFC 6902 JSON Patch (`application/json-patch+json`, what `kubectl rollout undo` sends).
 *
 * Errors follow the apiserver: a body that is not a well-formed operation list is 400 BadRequest;
 * an operation that cannot apply (missing path, failed `test`, index out of range) is 422 Invalid.
 */
import { BadRequestError, InvalidError } from '@kubesim/api';
import { cloneJson, deepEqual, isObject, show, type JsonObject } from './json.js';

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies `ops` in order to a copy of `doc` and returns the result; `doc` is never modified.
 * Either every operation applies or an error is thrown.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const parsed = parseOperations(ops);
  let root = cloneJson(doc);
  for (const op of parsed) root = applyOperation(root, op);
  return root;
}

function parseOperations(ops: unknown): (JsonPatchOperation & { tokens: string[]; fromTokens?: string[] })[] {
  if (!Array.isArray(ops)) throw new BadRequestError('json patch: the body must be a JSON array of operations');
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw new BadRequestError(`json patch: operation ${i} is not an object: ${show(raw)}`);
    const { op, path, from } = raw;
    if (typeof op !== 'string' || !OPS.has(op)) throw new BadRequestError(`json patch: unexpected operation ${show(op)} at index ${i}`);
    if (typeof path !== 'string') throw new BadRequestError(`json patch: operation "${op}" at index ${i} is missing a string "path"`);
    const parsed: JsonPatchOperation & { tokens: string[]; fromTokens?: string[] } = {
      op: op as JsonPatchOperation['op'],
      path,
      tokens: parsePointer(path),
    };
    if (op === 'move' || op === 'copy') {
      if (typeof from !== 'string') throw new BadRequestError(`json patch: operation "${op}" at index ${i} is missing a string "from"`);
      parsed.from = from;
      parsed.fromTokens = parsePointer(from);
    }
    if (op === 'add' || op === 'replace' || op === 'test') {
      if (!('value' in raw)) throw new BadRequestError(`json patch: operation "${op}" at index ${i} is missing "value"`);
      parsed.value = raw.value;
    }
    return parsed;
  });
}

/** Splits an RFC 6901 JSON pointer into unescaped reference tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new BadRequestError(`json patch: invalid JSON pointer ${show(pointer)}: it must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new BadRequestError(`json patch: invalid escape in JSON pointer ${show(pointer)}`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function applyOperation(root: unknown, op: JsonPatchOperation & { tokens: string[]; fromTokens?: string[] }): unknown {
  switch (op.op) {
    case 'add':
      return add(root, op.tokens, cloneJson(op.value), op.path);
    case 'remove':
      return remove(root, op.tokens, op.path).root;
    case 'replace':
      return replace(root, op.tokens, cloneJson(op.value), op.path);
    case 'move': {
      if (op.path === op.from) return root;
      if (op.path.startsWith(`${op.from}/`)) {
        throw new InvalidError(`json patch: move operation cannot move ${op.from} into its own child ${op.path}`);
      }
      const { root: without, value } = remove(root, op.fromTokens!, op.from!);
      return add(without, op.tokens, value, op.path);
    }
    case 'copy':
      return add(root, op.tokens, cloneJson(get(root, op.fromTokens!, op.from!)), op.path);
    case 'test':
      if (!deepEqual(get(root, op.tokens, op.path), op.value)) {
        throw new InvalidError(`json patch: testing value ${op.path} failed: test failed`);
      }
      return root;
  }
}

function get(root: unknown, tokens: string[], path: string): unknown {
  let node = root;
  for (const token of tokens) node = child(node, token, path);
  return node;
}

function child(node: unknown, token: string, path: string): unknown {
  if (Array.isArray(node)) return node[arrayIndex(node, token, path, false)];
  if (isObject(node) && Object.prototype.hasOwnProperty.call(node, token)) return node[token];
  throw new InvalidError(`json patch: doc is missing path: ${path}`);
}

function parentOf(root: unknown, tokens: string[], path: string): JsonObject | unknown[] {
  const parent = get(root, tokens.slice(0, -1), path);
  if (Array.isArray(parent) || isObject(parent)) return parent;
  throw new InvalidError(`json patch: doc is missing path: ${path}`);
}

function arrayIndex(array: unknown[], token: string, path: string, forInsert: boolean): number {
  if (token === '-' && forInsert) return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new InvalidError(`json patch: invalid array index ${show(token)} in ${path}`);
  const index = Number(token);
  if (index > array.length || (!forInsert && index === array.length)) {
    throw new InvalidError(`json patch: array index ${index} out of bounds in ${path}`);
  }
  return index;
}

function add(root: unknown, tokens: string[], value: unknown, path: string): unknown {
  if (tokens.length === 0) return value;
  const parent = parentOf(root, tokens, path);
  const key = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, value);
  else parent[key] = value;
  return root;
}

function remove(root: unknown, tokens: string[], path: string): { root: unknown; value: unknown } {
  if (tokens.length === 0) throw new InvalidError('json patch: remove operation cannot remove the whole document');
  const parent = parentOf(root, tokens, path);
  const key = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const [value] = parent.splice(arrayIndex(parent, key, path, false), 1);
    return { root, value };
  }
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    throw new InvalidError(`json patch: remove operation does not apply: doc is missing path: ${path}`);
  }
  const value = parent[key];
  delete parent[key];
  return { root, value };
}

function replace(root: unknown, tokens: string[], value: unknown, path: string): unknown {
  if (tokens.length === 0) return value;
  const parent = parentOf(root, tokens, path);
  const key = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    parent[arrayIndex(parent, key, path, false)] = value;
  } else {
    if (!Object.prototype.hasOwnProperty.call(parent, key)) {
      throw new InvalidError(`json patch: replace operation does not apply: doc is missing key: ${path}`);
    }
    parent[key] = value;
  }
  return root;
}
