import { describe, expect, it } from 'vitest';
import { listOf, objectName, toJson, toYaml } from '../src/printers/objects.js';
import { parseOutput, printObjects } from '../src/printers/output.js';
import { printTable, type Table } from '../src/printers/table.js';
import { tabwrite, TabWriter } from '../src/printers/tabwriter.js';
import { humanDuration, rfc1123z } from '../src/printers/time.js';
import { formatQuantity, parseQuantity } from '../src/printers/quantity.js';

describe('tabwrite (Go text/tabwriter)', () => {
  const cases: { name: string; input: string; padding: number; minWidth?: number; want: string }[] = [
    { name: 'aligns columns, last cell unpadded', input: 'NAME\tAGE\nlonger-name\t5s\n', padding: 3, want: 'NAME          AGE\nlonger-name   5s\n' },
    { name: 'a line without tabs splits blocks', input: 'a\t1\nheader\nbbbb\t2\n', padding: 2, want: 'a  1\nheader\nbbbb  2\n' },
    { name: 'consecutive lines share a column block', input: 'Name:\tx\n  Type\tStatus\n  Ready \tTrue \n', padding: 2, want: 'Name:     x\n  Type    Status\n  Ready   True \n' },
    { name: 'empty input', input: '', padding: 3, want: '' },
    { name: 'kubectl tables have a minimum column width of 6', input: 'p2\t0\tx\n', padding: 3, minWidth: 6, want: 'p2    0     x\n' },
  ];
  for (const c of cases) {
    it(c.name, () => expect(tabwrite(c.input, c.padding, c.minWidth)).toBe(c.want));
  }

  it('remembers widths across flushes, as kubectl get -w does', () => {
    const tw = new TabWriter(3, { rememberWidths: true });
    tw.write('NAME\tSTATUS\nweb-1\tRunning\n');
    expect(tw.flush()).toBe('NAME    STATUS\nweb-1   Running\n');
    tw.write('w\tPending\n');
    expect(tw.flush()).toBe('w       Pending\n');
  });
});

const TABLE: Table = {
  kind: 'Table',
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name', priority: 0 },
    { name: 'Ready', type: 'string', priority: 0 },
    { name: 'IP', type: 'string', priority: 1 },
    { name: 'Age', type: 'string', priority: 0 },
  ],
  rows: [
    { cells: ['web', '1/1', '10.0.0.1', '5s'], object: { metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'fe' } } } },
    { cells: ['db-0', '0/1', null, '1m'], object: { metadata: { name: 'db-0', namespace: 'prod' } } },
  ],
};

describe('printTable', () => {
  const cases: { name: string; opts: Parameters<typeof printTable>[1]; want: string }[] = [
    { name: 'priority 0 columns, upper-case headers', opts: {}, want: 'NAME   READY   AGE\nweb    1/1     5s\ndb-0   0/1     1m\n' },
    { name: 'wide adds priority 1 columns', opts: { wide: true }, want: 'NAME   READY   IP         AGE\nweb    1/1     10.0.0.1   5s\ndb-0   0/1                1m\n' },
    { name: '-A adds NAMESPACE from row metadata', opts: { withNamespace: true }, want: 'NAMESPACE   NAME   READY   AGE\ndefault     web    1/1     5s\nprod        db-0   0/1     1m\n' },
    { name: '--show-labels', opts: { showLabels: true }, want: 'NAME   READY   AGE   LABELS\nweb    1/1     5s    app=web,tier=fe\ndb-0   0/1     1m    <none>\n' },
    { name: '-L columns', opts: { labelColumns: ['app', 'example.com/tier'] }, want: 'NAME   READY   AGE   APP   TIER\nweb    1/1     5s    web   \ndb-0   0/1     1m          \n' },
    { name: 'kind prefix', opts: { kindPrefix: 'pod' }, want: 'NAME       READY   AGE\npod/web    1/1     5s\npod/db-0   0/1     1m\n' },
    { name: '--no-headers', opts: { noHeaders: true }, want: 'web    1/1   5s\ndb-0   0/1   1m\n' },
  ];
  for (const c of cases) {
    it(c.name, () => expect(tabwrite(printTable(TABLE, c.opts), 3)).toBe(c.want));
  }
});

describe('object printers', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{ manager: 'x' }], annotations: { n: 'yes', v: '1' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };

  it('prints YAML with sorted keys, unindented sequences and go-yaml quoting', () => {
    expect(toYaml(pod)).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    "n": "yes"\n    v: "1"\n  creationTimestamp: "2024-01-01T00:00:00Z"\n  managedFields:\n  - manager: x\n  name: p\nspec:\n  containers:\n  - image: nginx\n    name: c\n',
    );
  });

  it('prints JSON with sorted keys and 4-space indent', () => {
    expect(toJson({ b: 1, a: { d: [1], c: true } })).toBe('{\n    "a": {\n        "c": true,\n        "d": [\n            1\n        ]\n    },\n    "b": 1\n}\n');
  });

  it('wraps several objects in a List and drops managedFields', () => {
    const text = printObjects([pod as never], { kind: 'json' }, { single: false });
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(parsed.items[0].metadata.managedFields).toBeUndefined();
    expect(listOf([]).items).toEqual([]);
  });

  it('prints a single named object alone', () => {
    expect(JSON.parse(printObjects([pod as never], { kind: 'json' }, { single: true })).kind).toBe('Pod');
  });

  const names: [string, string, string][] = [
    ['v1', 'Pod', 'pod/p'],
    ['apps/v1', 'Deployment', 'deployment.apps/p'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscaler.autoscaling/p'],
  ];
  for (const [apiVersion, kind, want] of names) {
    it(`names a ${kind} ${want}`, () => expect(objectName({ apiVersion, kind, metadata: { name: 'p' } })).toBe(want));
  }

  it('prints custom columns, <none> for missing values', () => {
    const format = parseOutput('custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,NODE:.spec.nodeName');
    expect(printObjects([pod as never], format as never, { single: false })).toBe('NAME   IMAGES   NODE\np      nginx    <none>\n');
  });

  it('rejects unknown output formats with kubectl\'s message', () => {
    expect(() => parseOutput('xml')).toThrow('unable to match a printer suitable for the output format "xml"');
  });
});

describe('time formatting', () => {
  const durations: [number, string][] = [
    [-5000, '<invalid>'],
    [500, '0s'],
    [59_000, '59s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3_600_000 + 5 * 60_000, '3h5m'],
    [30 * 3_600_000, '30h'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d4h'],
    [40 * 86_400_000, '40d'],
    [3 * 365 * 86_400_000, '3y'],
  ];
  for (const [ms, want] of durations) it(`shows ${ms}ms as ${want}`, () => expect(humanDuration(ms)).toBe(want));

  it('formats RFC1123Z like Go', () => {
    expect(rfc1123z('2024-03-05T07:08:09Z', 0)).toBe('Tue, 05 Mar 2024 07:08:09 +0000');
    expect(rfc1123z('2024-03-05T07:08:09Z', 120)).toBe('Tue, 05 Mar 2024 09:08:09 +0200');
  });
});

describe('quantities', () => {
  const cases: [string, string][] = [
    ['100m', '100m'],
    ['0.5', '500m'],
    ['2', '2'],
    ['128Mi', '128Mi'],
    ['1024Ki', '1Mi'],
    ['1G', '1G'],
    ['1000', '1k'],
  ];
  for (const [input, want] of cases) it(`canonicalises ${input}`, () => expect(formatQuantity(parseQuantity(input))).toBe(want));
});
