/**
 * Reading `-f` inputs: files, folders (their .yaml/.yml/.json files; sub-folders with `-R`), and
 * `-` for stdin. Each file may hold several YAML documents or JSON; a `kind: List` is expanded
 * into its items. Every object remembers its source for kubectl's "error when creating" messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '@kubesim/api';
import { CommandError } from './errors.js';

/** One object read from an input, with the name kubectl reports it under (`STDIN` for `-`). */
export interface Manifest {
  obj: KubeObject;
  source: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Reads every `-f` input in order. Missing paths and parse errors fail with kubectl's messages. */
export async function readManifests(filenames: readonly string[], recursive: boolean, stdin: Readable): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const name of filenames) {
    if (name === '-') {
      out.push(...parseManifests(await readAll(stdin), 'STDIN'));
      continue;
    }
    for (const file of expandPath(name, recursive)) out.push(...parseManifests(fs.readFileSync(file, 'utf8'), file));
  }
  return out;
}

/** The files a path names: itself, or a folder's manifest files (sorted, recursing with `-R`). */
export function expandPath(p: string, recursive: boolean): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new CommandError(`the path "${p}" does not exist`);
  }
  if (!st.isDirectory()) return [p];
  const files: string[] = [];
  for (const entry of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(p, entry.name);
    if (entry.isDirectory()) {
      if (recursive) files.push(...expandPath(full, true));
    } else if (EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}

/**
 * Splits a file's text into objects: YAML documents separated by `---` (JSON is YAML too), empty
 * documents skipped, Lists flattened. Objects without apiVersion or kind are rejected the way
 * kubectl's validation rejects them.
 */
export function parseManifests(text: string, source: string): Manifest[] {
  // YAML 1.1, as kubectl's go-yaml reads it (`0644` is octal, `yes` a boolean).
  const docs = parseAllDocuments(text, { version: '1.1', merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: Manifest[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      throw new CommandError(`error parsing ${source}: error converting YAML to JSON: yaml: ${doc.errors[0].message.split('\n')[0]}`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new CommandError(`error parsing ${source}: error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type map[string]interface {}`);
    }
    for (const obj of flattenList(value as KubeObject)) out.push({ obj: validate(obj, source), source });
  }
  return out;
}

function flattenList(obj: KubeObject): KubeObject[] {
  const items = (obj as { items?: unknown }).items;
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(items)) return items.flatMap((i) => flattenList(i as KubeObject));
  return [obj];
}

function validate(obj: KubeObject, source: string): KubeObject {
  const missing: string[] = [];
  if (!obj.apiVersion) missing.push('apiVersion not set');
  if (!obj.kind) missing.push('kind not set');
  if (missing.length > 0) {
    throw new CommandError(
      `error validating "${source}": error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
  }
  obj.metadata ??= {};
  return obj;
}

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
