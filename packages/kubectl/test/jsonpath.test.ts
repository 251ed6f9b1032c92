import { describe, expect, it } from 'vitest';
import { JsonPath, relaxedJsonPath } from '../src/jsonpath.js';

const LIST = {
  kind: 'List',
  items: [
    {
      metadata: { name: 'a', labels: { app: 'web', 'app.kubernetes.io/name': 'x' } },
      spec: { replicas: 2, containers: [{ name: 'c1', image: 'nginx' }, { name: 'c2', image: 'redis' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] },
    },
    {
      metadata: { name: 'b', labels: { app: 'db' } },
      spec: { replicas: 5, containers: [{ name: 'c3', image: 'postgres' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    },
  ],
};

describe('JsonPath.execute', () => {
  const cases: { template: string; want: string }[] = [
    { template: '{.kind}', want: 'List' },
    { template: '{$.kind}', want: 'List' },
    { template: 'kind={.kind}!', want: 'kind=List!' },
    { template: '{.items[*].metadata.name}', want: 'a b' },
    { template: '{.items[0].metadata.name}', want: 'a' },
    { template: '{.items[-1].metadata.name}', want: 'b' },
    { template: '{.items[0:1].metadata.name}', want: 'a' },
    { template: "{.items[0].metadata.labels['app.kubernetes.io/name']}", want: 'x' },
    { template: '{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', want: 'x' },
    { template: '{range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}', want: 'a\t2\nb\t5\n' },
    { template: '{.items[*].status.conditions[?(@.type=="Ready")].status}', want: 'True False' },
    { template: "{.items[?(@.spec.replicas>3)].metadata.name}", want: 'b' },
    { template: "{.items[?(@.metadata.labels.app!='web')].metadata.name}", want: 'b' },
    { template: '{.items[?(@.spec.containers)].metadata.name}', want: 'a b' },
    { template: '{..image}', want: 'nginx redis postgres' },
    { template: '{.items[0].metadata.labels}', want: '{"app":"web","app.kubernetes.io/name":"x"}' },
    { template: '{.items[1].spec.containers[*]}', want: '{"image":"postgres","name":"c3"}' },
    { template: '{.missing}', want: '' },
    { template: '{.items[0].spec.containers[*].name}{"\\n"}', want: 'c1 c2\n' },
    { template: '{.items[*].metadata.name,.kind}', want: 'a bList' },
    { template: '{range .items[*]}[{range .spec.containers[*]}{.name},{end}]{end}', want: '[c1,c2,][c3,]' },
  ];
  for (const c of cases) {
    it(`renders ${c.template}`, () => {
      expect(JsonPath.parse(c.template).execute(LIST)).toBe(c.want);
    });
  }

  it('rejects an end without a range', () => {
    expect(() => JsonPath.parse('{end}')).toThrow('not in range');
  });

  it('rejects an unclosed action', () => {
    expect(() => JsonPath.parse('{.a')).toThrow('unclosed action');
  });
});

describe('relaxedJsonPath', () => {
  const cases: [string, string][] = [
    ['.metadata.name', '{.metadata.name}'],
    ['metadata.name', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
  ];
  for (const [input, want] of cases) {
    it(`relaxes ${input}`, () => expect(relaxedJsonPath(input)).toBe(want));
  }
});
