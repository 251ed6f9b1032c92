import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@kubesim/api';
import { ANNOTATION } from '../src/commands/annotate.js';
import { exposedService, type ExposeParams } from '../src/commands/expose-service.js';
import { runPodObject, type RunPodParams } from '../src/commands/generators.js';
import { LABEL, labelValueErrors } from '../src/commands/label.js';
import { applyMetadataChanges, parseMetadataChanges } from '../src/commands/metadata-update.js';
import { splitResourcesAndPairs } from '../src/commands/objects.js';
import { globMatch, podSpecOf } from '../src/commands/pod-spec.js';
import { checkPreconditions } from '../src/commands/scale.js';
import { listEnv, parseEnvArgs, updateEnv } from '../src/commands/set-env.js';
import { applyImages, parseImages } from '../src/commands/set-image.js';
import { conditionMet, parseWaitFor } from '../src/commands/wait-conditions.js';

describe('label and annotate changes', () => {
  it('splits resources from pairs, pairs last', () => {
    expect(splitResourcesAndPairs(['pods', 'a', 'x=1', 'y-'], 'label')).toEqual({ resources: ['pods', 'a'], pairs: ['x=1', 'y-'] });
    expect(() => splitResourcesAndPairs(['pods', 'x=1', 'b'], 'label')).toThrow('all resources must be specified before label changes: b');
  });

  const parse: { kind: typeof LABEL; specs: string[]; set?: [string, string][]; remove?: string[]; error?: string }[] = [
    { kind: LABEL, specs: ['a=1', 'b-'], set: [['a', '1']], remove: ['b'] },
    { kind: LABEL, specs: ['x=a=b'], error: 'invalid label spec: x=a=b' },
    { kind: LABEL, specs: ['x=bad value'], error: 'invalid label value: "x=bad value": a valid label must be an empty string' },
    { kind: LABEL, specs: ['a=1', 'a-'], error: 'can not both modify and remove a label in the same command' },
    { kind: ANNOTATION, specs: ['x=a=b'], set: [['x', 'a=b']], remove: [] },
    { kind: ANNOTATION, specs: ['a=1', 'a-'], error: 'can not both modify and remove an annotation in the same command' },
  ];
  for (const c of parse) {
    it(`${c.kind.verb} parses ${c.specs.join(' ')}`, () => {
      if (c.error) expect(() => parseMetadataChanges(c.kind, c.specs)).toThrow(c.error);
      else expect(parseMetadataChanges(c.kind, c.specs)).toEqual({ set: new Map(c.set), remove: c.remove ?? [] });
    });
  }

  const apply: { name: string; kind: typeof LABEL; current?: Record<string, string>; specs: string[]; overwrite: boolean; result?: Record<string, string>; error?: string }[] = [
    { name: 'adds and removes', kind: LABEL, current: { a: '1', b: '2' }, specs: ['c=3', 'b-'], overwrite: false, result: { a: '1', c: '3' } },
    { name: 'keeps an emptied map', kind: LABEL, current: { a: '1' }, specs: ['a-'], overwrite: false, result: {} },
    { name: 'allows setting the same value', kind: LABEL, current: { a: '1' }, specs: ['a=1'], overwrite: false, result: { a: '1' } },
    { name: 'refuses a new value without --overwrite', kind: LABEL, current: { a: '1' }, specs: ['a=2'], overwrite: false, error: "'a' already has a value (1), and --overwrite is false" },
    { name: 'takes a new value with --overwrite', kind: LABEL, current: { a: '1' }, specs: ['a=2'], overwrite: true, result: { a: '2' } },
    {
      name: 'annotate words the clash its own way',
      kind: ANNOTATION,
      current: { note: 'hello' },
      specs: ['note=again'],
      overwrite: false,
      error: "--overwrite is false but found the following declared annotation(s): 'note' already has a value (hello)",
    },
  ];
  for (const c of apply) {
    it(c.name, () => {
      const changes = parseMetadataChanges(c.kind, c.specs);
      if (c.error) expect(() => applyMetadataChanges(c.kind, c.current, changes, c.overwrite)).toThrow(c.error);
      else expect(applyMetadataChanges(c.kind, c.current, changes, c.overwrite)).toEqual(c.result);
    });
  }

  it('reports label outcomes as kubectl does', () => {
    expect(LABEL.operation(false, false, false)).toBe('not labeled');
    expect(LABEL.operation(true, true, false)).toBe('unlabeled');
    expect(LABEL.operation(true, true, true)).toBe('labeled');
    expect(ANNOTATION.operation(false, false, false)).toBe('annotated');
    expect(labelValueErrors('x'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });
});

describe('set image and set env', () => {
  it('parses image pairs', () => {
    expect([...parseImages(['nginx=nginx:1.26', 'side=busybox'])]).toEqual([
      ['nginx', 'nginx:1.26'],
      ['side', 'busybox'],
    ]);
    expect(() => parseImages([])).toThrow('at least one image update is required');
    expect(() => parseImages(['*=a', 'b=c'])).toThrow('all containers are already specified by *, but saw more than one container_name=container_image pairs');
  });

  it('sets images by name or on every container', () => {
    const spec = { initContainers: [{ name: 'init', image: 'a' }], containers: [{ name: 'nginx', image: 'a' }, { name: 'side', image: 'a' }] };
    expect(applyImages(spec, new Map([['nginx', 'n2'], ['nope', 'x']]))).toEqual(['error: unable to find container named "nope"']);
    expect(spec.containers.map((c) => c.image)).toEqual(['n2', 'a']);
    applyImages(spec, new Map([['*', 'all']]));
    expect([...spec.initContainers, ...spec.containers].map((c) => c.image)).toEqual(['all', 'all', 'all']);
  });

  it('finds the pod spec of each kind', () => {
    const cron = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } } };
    expect(podSpecOf(cron)).toEqual({ containers: [{ name: 'c' }] });
    expect(podSpecOf({ kind: 'Pod', spec: { containers: [] } })).toEqual({ containers: [] });
    expect(podSpecOf({ kind: 'Service', spec: {} })).toBeUndefined();
    expect(globMatch('*', 'x')).toBe(true);
    expect(globMatch('ng*', 'nginx')).toBe(true);
    expect(globMatch('side', 'nginx')).toBe(false);
  });

  it('parses env changes', () => {
    expect(parseEnvArgs(['A=1', 'B=x=y', 'C-'])).toEqual({ set: [{ name: 'A', value: '1' }, { name: 'B', value: 'x=y' }], remove: ['C'] });
    expect(() => parseEnvArgs(['1A=2'])).toThrow('invalid environment variable name "1A"');
  });

  const updates: { name: string; existing: { name: string; value?: string }[]; args: string[]; result: { name: string; value?: string }[] }[] = [
    { name: 'appends new variables', existing: [{ name: 'A', value: '1' }], args: ['B=2'], result: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
    { name: 'replaces in place', existing: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['A=9'], result: [{ name: 'A', value: '9' }, { name: 'B', value: '2' }] },
    { name: 'removes', existing: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['A-'], result: [{ name: 'B', value: '2' }] },
  ];
  for (const c of updates) it(`updateEnv ${c.name}`, () => expect(updateEnv(c.existing, parseEnvArgs(c.args))).toEqual(c.result));

  it('lists a container environment', () => {
    const container = { name: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'S', valueFrom: { secretKeyRef: { name: 'sec', key: 'pw' } } }] };
    expect(listEnv('Deployment', 'web', container)).toBe('# Deployment web, container nginx\nA=1\n# S from secret sec, key pw\n');
  });
});

const NO_PARAMS: ExposeParams = { name: '', port: '', targetPort: '', protocol: '', type: '', labels: '', selector: '', externalIp: '', loadBalancerIp: '', sessionAffinity: '', clusterIp: '' };

describe('exposedService', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }] } } },
  } as unknown as KubeObject;

  it('builds the Service kubectl sends for --port and --type', () => {
    const svc = exposedService(deployment, { ...NO_PARAMS, port: '80', type: 'NodePort' });
    expect(JSON.stringify(svc)).toBe(
      '{"apiVersion":"v1","kind":"Service","metadata":{"creationTimestamp":null,"labels":{"app":"web"},"name":"web"},"spec":{"ports":[{"port":80,"protocol":"TCP","targetPort":80}],"selector":{"app":"web"},"type":"NodePort"},"status":{"loadBalancer":{}}}',
    );
  });

  it('takes every container port, named port-N, with its protocol', () => {
    const svc = exposedService(deployment, { ...NO_PARAMS, name: 'w2', targetPort: 'http' }) as unknown as { metadata: { name: string }; spec: { ports: unknown[] } };
    expect(svc.metadata.name).toBe('w2');
    expect(svc.spec.ports).toEqual([
      { name: 'port-1', port: 8080, protocol: 'TCP', targetPort: 'http' },
      { name: 'port-2', port: 53, protocol: 'UDP', targetPort: 'http' },
    ]);
  });

  const failures: { name: string; obj: unknown; params?: Partial<ExposeParams>; error: string }[] = [
    { name: 'no port anywhere', obj: { kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } }, error: "couldn't find port via --port flag or introspection" },
    { name: 'a pod without labels', obj: { kind: 'Pod', metadata: { name: 'p' }, spec: {} }, params: { port: '80' }, error: "couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed" },
    { name: 'a non-numeric port', obj: deployment, params: { port: 'abc' }, error: 'strconv.Atoi: parsing "abc": invalid syntax' },
  ];
  for (const c of failures) it(`fails on ${c.name}`, () => expect(() => exposedService(c.obj as KubeObject, { ...NO_PARAMS, ...c.params })).toThrow(c.error));
});

describe('runPodObject', () => {
  const base: RunPodParams = { name: 'r1', image: 'nginx', extra: [], command: false, port: '', env: [], labels: { run: 'r1' }, annotations: {}, restart: 'Always', imagePullPolicy: '', privileged: false };
  it('builds the Pod kubectl run sends, fields in its order', () => {
    const pod = runPodObject({ ...base, extra: ['a', 'b'], port: '80', env: ['A=1'], restart: 'Never' });
    expect(JSON.stringify(pod)).toBe(
      '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"r1","creationTimestamp":null,"labels":{"run":"r1"}},"spec":{"containers":[{"name":"r1","image":"nginx","args":["a","b"],"ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"}],"resources":{}}],"restartPolicy":"Never","dnsPolicy":"ClusterFirst"},"status":{}}',
    );
  });
  it('uses the arguments as the command with --command', () => {
    const pod = runPodObject({ ...base, extra: ['sh', '-c', 'echo hi'], command: true }) as unknown as { spec: { containers: Record<string, unknown>[] } };
    expect(pod.spec.containers[0].command).toEqual(['sh', '-c', 'echo hi']);
  });
});

describe('wait conditions', () => {
  const pod = (conditions: unknown[], extra: Record<string, unknown> = {}) => ({ metadata: { name: 'p', generation: 2 }, status: { phase: 'Running', conditions, ...extra } }) as unknown as KubeObject;
  const cases: { name: string; for: string; obj: KubeObject; met: boolean }[] = [
    { name: 'Ready=True meets condition=Ready', for: 'condition=Ready', obj: pod([{ type: 'Ready', status: 'True' }]), met: true },
    { name: 'names and values compare without case', for: 'condition=ready=TRUE', obj: pod([{ type: 'Ready', status: 'True' }]), met: true },
    { name: 'a false condition does not meet the default', for: 'condition=Ready', obj: pod([{ type: 'Ready', status: 'False' }]), met: false },
    { name: 'a false condition meets =false', for: 'condition=Ready=false', obj: pod([{ type: 'Ready', status: 'False' }]), met: true },
    { name: 'a missing condition is not met', for: 'condition=Ready=false', obj: pod([]), met: false },
    { name: 'a stale condition is not met', for: 'condition=Available', obj: pod([{ type: 'Available', status: 'True', observedGeneration: 1 }]), met: false },
    { name: 'a jsonpath value', for: 'jsonpath={.status.phase}=Running', obj: pod([]), met: true },
    { name: 'a quoted jsonpath value', for: "jsonpath='{.status.phase}'=Pending", obj: pod([]), met: false },
    { name: 'a jsonpath that exists', for: 'jsonpath={.status.phase}', obj: pod([]), met: true },
    { name: 'a jsonpath filter', for: 'jsonpath={.status.conditions[?(@.type=="Ready")].status}=True', obj: pod([{ type: 'Ready', status: 'True' }]), met: true },
    { name: 'a jsonpath filter on a false condition', for: 'jsonpath={.status.conditions[?(@.type=="Ready")].status}=True', obj: pod([{ type: 'Ready', status: 'False' }]), met: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cond = parseWaitFor(c.for);
      if (cond.kind === 'delete') throw new Error('not a condition');
      expect(conditionMet(c.obj, cond)).toBe(c.met);
    });
  }
  it('knows delete and rejects the rest', () => {
    expect(parseWaitFor('delete')).toEqual({ kind: 'delete' });
    expect(() => parseWaitFor('bogus')).toThrow('unrecognized condition: "bogus"');
    expect(() => parseWaitFor('')).toThrow('unrecognized condition: ""');
  });
});

describe('scale preconditions', () => {
  const scale = { metadata: { resourceVersion: '71' }, spec: { replicas: 4 } };
  const cases: { current: number; rv: string; error?: string }[] = [
    { current: -1, rv: '' },
    { current: 4, rv: '71' },
    { current: 3, rv: '', error: 'Expected replicas to be 3, was 4' },
    { current: -1, rv: '1', error: 'Expected resource version to be 1, was 71' },
  ];
  for (const c of cases) {
    it(`--current-replicas=${c.current} --resource-version=${c.rv || '""'} ${c.error ? 'fails' : 'passes'}`, () => {
      const check = () => checkPreconditions(scale, { currentReplicas: c.current, resourceVersion: c.rv });
      if (c.error) expect(check).toThrow(c.error);
      else expect(check).not.toThrow();
    });
  }
});
