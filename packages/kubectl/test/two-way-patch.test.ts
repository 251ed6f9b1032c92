import { describe, expect, it } from 'vitest';
import { createMergePatch, createStrategicMergePatch, mergeKeyFor } from '../src/patch/two-way.js';

const pod = (containers: unknown[]) => ({ spec: { template: { spec: { containers } } } });

describe('createMergePatch', () => {
  const cases: { name: string; original: unknown; modified: unknown; patch: unknown }[] = [
    { name: 'equal objects give an empty patch', original: { a: 1, b: { c: [1] } }, modified: { a: 1, b: { c: [1] } }, patch: {} },
    { name: 'a new label is sent alone', original: { metadata: { name: 'x', labels: { a: '1' } } }, modified: { metadata: { name: 'x', labels: { a: '1', b: '2' } } }, patch: { metadata: { labels: { b: '2' } } } },
    { name: 'a removed key becomes null', original: { metadata: { labels: { a: '1', b: '2' } } }, modified: { metadata: { labels: { a: '1' } } }, patch: { metadata: { labels: { b: null } } } },
    { name: 'an emptied map keeps its removed keys as null', original: { metadata: { annotations: { note: 'x' } } }, modified: { metadata: { annotations: {} } }, patch: { metadata: { annotations: { note: null } } } },
    { name: 'a changed list is replaced whole', original: { l: [1, 2] }, modified: { l: [2] }, patch: { l: [2] } },
    { name: 'a changed resourceVersion is carried', original: { metadata: { labels: {} } }, modified: { metadata: { labels: { k: 'v' }, resourceVersion: '7' } }, patch: { metadata: { labels: { k: 'v' }, resourceVersion: '7' } } },
  ];
  for (const c of cases) it(c.name, () => expect(createMergePatch(c.original, c.modified)).toEqual(c.patch));
});

describe('createStrategicMergePatch', () => {
  const cases: { name: string; original: unknown; modified: unknown; json: string }[] = [
    {
      name: 'an image change patches the container by name, with the element order',
      original: pod([{ name: 'nginx', image: 'nginx:1.25' }]),
      modified: pod([{ name: 'nginx', image: 'nginx:1.26' }]),
      json: '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.26","name":"nginx"}]}}}}',
    },
    {
      name: 'changed items come in their new order',
      original: pod([{ name: 'nginx', image: 'a' }, { name: 'busybox', image: 'b' }]),
      modified: pod([{ name: 'nginx', image: 'x' }, { name: 'busybox', image: 'x' }]),
      json: '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"busybox"}],"containers":[{"image":"x","name":"nginx"},{"image":"x","name":"busybox"}]}}}}',
    },
    {
      name: 'a list the original lacks is sent whole, without an element order',
      original: pod([{ name: 'nginx' }]),
      modified: pod([{ name: 'nginx', env: [{ name: 'A', value: '1' }] }]),
      json: '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"env":[{"name":"A","value":"1"}],"name":"nginx"}]}}}}',
    },
    {
      name: 'removed items become $patch: delete after the changed ones',
      original: pod([{ name: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }]),
      modified: pod([{ name: 'nginx', env: [{ name: 'B', value: '2' }, { name: 'C', value: '3' }] }]),
      json: '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"$setElementOrder/env":[{"name":"B"},{"name":"C"}],"env":[{"name":"C","value":"3"},{"$patch":"delete","name":"A"}],"name":"nginx"}]}}}}',
    },
    { name: 'a cleared field becomes null', original: { spec: { unschedulable: true } }, modified: { spec: {} }, json: '{"spec":{"unschedulable":null}}' },
    { name: 'a set field is sent', original: { spec: {} }, modified: { spec: { unschedulable: true } }, json: '{"spec":{"unschedulable":true}}' },
    {
      name: 'lists without a merge key (taints) are replaced whole',
      original: { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } },
      modified: { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }] } },
      json: '{"spec":{"taints":[{"effect":"NoSchedule","key":"b"},{"effect":"NoSchedule","key":"a"}]}}',
    },
    { name: 'unchanged objects give {}', original: pod([{ name: 'a' }]), modified: pod([{ name: 'a' }]), json: '{}' },
  ];
  for (const c of cases) it(c.name, () => expect(JSON.stringify(createStrategicMergePatch(c.original, c.modified))).toBe(c.json));
});

describe('mergeKeyFor', () => {
  const cases: [string, string, string | undefined][] = [
    ['containers', 'spec', 'name'],
    ['env', 'containers', 'name'],
    ['ports', 'containers', 'containerPort'],
    ['ports', 'spec', 'port'],
    ['volumeMounts', 'containers', 'mountPath'],
    ['taints', 'spec', undefined],
    ['tolerations', 'spec', undefined],
  ];
  for (const [field, parent, key] of cases) it(`${parent}.${field} merges on ${key ?? 'nothing'}`, () => expect(mergeKeyFor(field, parent)).toBe(key));
});
