import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { expandPath, parseManifests, readManifests } from '../src/manifests.js';

describe('parseManifests', () => {
  const cases: { name: string; text: string; names: string[] }[] = [
    { name: 'one document', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n', names: ['a'] },
    {
      name: 'several documents with empty ones and comments',
      text: '---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n# nothing\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n...\n',
      names: ['a', 'b'],
    },
    { name: 'JSON', text: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"}}', names: ['j'] },
    {
      name: 'a List, flattened',
      text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n- {apiVersion: v1, kind: Pod, metadata: {name: q}}\n',
      names: ['p', 'q'],
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      expect(parseManifests(c.text, 'f.yaml').map((m) => m.obj.metadata.name)).toEqual(c.names);
    });
  }

  it('reads octal and booleans the YAML 1.1 way, as kubectl does', () => {
    const [m] = parseManifests('apiVersion: v1\nkind: X\nmetadata: {name: a}\nmode: 0644\nflag: yes\n', 'f.yaml');
    expect((m.obj as unknown as { mode: number; flag: boolean }).mode).toBe(420);
    expect((m.obj as unknown as { mode: number; flag: boolean }).flag).toBe(true);
  });

  it('rejects an object without kind', () => {
    expect(() => parseManifests('apiVersion: v1\nmetadata: {name: a}\n', 'f.yaml')).toThrow(
      'error validating "f.yaml": error validating data: [kind not set]',
    );
  });

  it('reports YAML syntax errors with the file name', () => {
    expect(() => parseManifests('a: [\n', 'bad.yaml')).toThrow(/^error parsing bad.yaml: error converting YAML to JSON/);
  });
});

describe('reading -f inputs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-manifests-'));
  fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: b}\n');
  fs.writeFileSync(path.join(dir, 'a.json'), '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'c.yml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: c}\n');

  it('takes a folder\'s manifest files in name order, not recursing by default', () => {
    expect(expandPath(dir, false).map((f) => path.basename(f))).toEqual(['a.json', 'b.yaml']);
  });

  it('recurses into sub-folders with -R', () => {
    expect(expandPath(dir, true).map((f) => path.basename(f))).toEqual(['a.json', 'b.yaml', 'c.yml']);
  });

  it('fails on a missing path the way kubectl does', () => {
    expect(() => expandPath(path.join(dir, 'nope.yaml'), false)).toThrow(`the path "${path.join(dir, 'nope.yaml')}" does not exist`);
  });

  it('reads stdin for -', async () => {
    const stdin = Readable.from(['apiVersion: v1\nkind: Pod\nmetadata: {name: s}\n']);
    const got = await readManifests(['-'], false, stdin);
    expect(got.map((m) => [m.source, m.obj.metadata.name])).toEqual([['STDIN', 's']]);
  });
});
