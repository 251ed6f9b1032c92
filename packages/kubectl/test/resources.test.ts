import { describe, expect, it } from 'vitest';
import { parseResourceArgs, resolveLocal } from '../src/resources.js';

describe('parseResourceArgs', () => {
  const cases: { args: string[]; want: ReturnType<typeof parseResourceArgs> }[] = [
    { args: ['pods'], want: { kind: 'types', types: ['pods'], names: [] } },
    { args: ['pods,svc', 'a', 'b'], want: { kind: 'types', types: ['pods', 'svc'], names: ['a', 'b'] } },
    { args: ['pod/a', 'deploy/b'], want: { kind: 'pairs', pairs: [{ type: 'pod', name: 'a' }, { type: 'deploy', name: 'b' }] } },
  ];
  for (const c of cases) it(`splits ${c.args.join(' ')}`, () => expect(parseResourceArgs(c.args)).toEqual(c.want));

  it('refuses to mix TYPE and TYPE/NAME forms', () => {
    expect(() => parseResourceArgs(['pods', 'pod/a'])).toThrow('there is no need to specify a resource type as a separate argument');
  });
});

describe('resolveLocal', () => {
  const cases: [string, string | undefined][] = [
    ['po', 'v1/pods'],
    ['pod', 'v1/pods'],
    ['Pods', 'v1/pods'],
    ['deploy', 'apps/v1/deployments'],
    ['deployments.apps', 'apps/v1/deployments'],
    ['deployments.v1.apps', 'apps/v1/deployments'],
    ['hpa', 'autoscaling/v2/horizontalpodautoscalers'],
    ['horizontalpodautoscalers.v1.autoscaling', 'autoscaling/v1/horizontalpodautoscalers'],
    ['foos', undefined],
  ];
  for (const [typed, want] of cases) {
    it(`resolves ${typed}`, () => {
      const r = resolveLocal(typed);
      expect(r ? `${r.group ? `${r.group}/` : ''}${r.version}/${r.plural}` : undefined).toBe(want);
    });
  }
});
