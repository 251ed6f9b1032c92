import { describe, expect, it } from 'vitest';
import {
  convertHpa,
  HPA_BEHAVIOR_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_METRICS_ANNOTATION,
  hpaV1ToV2,
  hpaV2ToV1,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerV1,
} from '../src/index.js';

const ref = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });

const v2 = (spec: Partial<HorizontalPodAutoscaler['spec']> = {}, status?: HorizontalPodAutoscaler['status'], annotations?: Record<string, string>): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', ...(annotations ? { annotations } : {}) },
  spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10, ...spec },
  ...(status ? { status } : {}),
});

const v1 = (spec: Partial<HorizontalPodAutoscalerV1['spec']> = {}, status?: HorizontalPodAutoscalerV1['status'], annotations?: Record<string, string>): HorizontalPodAutoscalerV1 => ({
  apiVersion: 'autoscaling/v1',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', ...(annotations ? { annotations } : {}) },
  spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10, ...spec },
  ...(status ? { status } : {}),
});

describe('autoscaling/v2 to v1', () => {
  it('maps the cpu utilization metric to targetCPUUtilizationPercentage', () => {
    expect(hpaV2ToV1(v2({ metrics: [cpu(70)] }))).toEqual(v1({ targetCPUUtilizationPercentage: 70 }));
  });

  it('maps the current cpu utilization and keeps the raw status in an annotation', () => {
    const status = {
      currentReplicas: 3,
      desiredReplicas: 4,
      lastScaleTime: '2024-01-01T00:00:00Z',
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 91, averageValue: '455m' } } }],
    };
    const out = hpaV2ToV1(v2({ metrics: [cpu(70)] }, status));
    expect(out.status).toEqual({ currentReplicas: 3, desiredReplicas: 4, lastScaleTime: '2024-01-01T00:00:00Z', currentCPUUtilizationPercentage: 91 });
    expect(JSON.parse(out.metadata.annotations![HPA_CURRENT_METRICS_ANNOTATION])).toEqual([
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 91, currentAverageValue: '455m' } },
    ]);
  });

  it('carries other metrics, conditions and behavior in annotations, in the v1 metric shape', () => {
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
    const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
    const conditions = [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }];
    const behavior = { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } };
    const out = hpaV2ToV1(v2({ metrics: [cpu(50), memory, pods], behavior }, { desiredReplicas: 2, conditions }));
    const a = out.metadata.annotations!;
    expect(JSON.parse(a[HPA_METRICS_ANNOTATION])).toEqual([
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
      { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
    ]);
    expect(JSON.parse(a[HPA_CONDITIONS_ANNOTATION])).toEqual(conditions);
    expect(JSON.parse(a[HPA_BEHAVIOR_ANNOTATION])).toEqual(behavior);
    expect(out.spec!.targetCPUUtilizationPercentage).toBe(50);
  });

  it('does not change its input', () => {
    const input = v2({ metrics: [cpu(70)] }, { desiredReplicas: 1, conditions: [{ type: 'ScalingActive', status: 'True' }] });
    const copy = structuredClone(input);
    hpaV2ToV1(input);
    expect(input).toEqual(copy);
  });
});

describe('autoscaling/v1 to v2', () => {
  it('turns targetCPUUtilizationPercentage into a cpu utilization metric', () => {
    expect(hpaV1ToV2(v1({ targetCPUUtilizationPercentage: 60 }))).toEqual(v2({ metrics: [cpu(60)] }));
  });

  it('applies the cpu 80% default when there is no target at all', () => {
    expect(hpaV1ToV2(v1()).spec!.metrics).toEqual([cpu(80)]);
  });

  it('turns the current cpu utilization into a current metric', () => {
    const out = hpaV1ToV2(v1({ targetCPUUtilizationPercentage: 60 }, { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 75 }));
    expect(out.status).toEqual({
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75 } } }],
    });
  });

  it('restores what the annotations carry and drops them', () => {
    const annotations = {
      keep: 'me',
      [HPA_METRICS_ANNOTATION]: JSON.stringify([{ type: 'External', external: { metricName: 'queue', targetAverageValue: '30' } }]),
      [HPA_CONDITIONS_ANNOTATION]: JSON.stringify([{ type: 'ScalingActive', status: 'False' }]),
    };
    const out = hpaV1ToV2(v1({ targetCPUUtilizationPercentage: 60 }, { currentReplicas: 1, desiredReplicas: 1 }, annotations));
    expect(out.metadata.annotations).toEqual({ keep: 'me' });
    expect(out.spec!.metrics).toEqual([cpu(60), { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }]);
    expect(out.status!.conditions).toEqual([{ type: 'ScalingActive', status: 'False' }]);
  });

  it('ignores a malformed annotation', () => {
    const out = hpaV1ToV2(v1({ targetCPUUtilizationPercentage: 60 }, undefined, { [HPA_METRICS_ANNOTATION]: '{not json' }));
    expect(out.spec!.metrics).toEqual([cpu(60)]);
    expect(out.metadata.annotations).toBeUndefined();
  });
});

describe('round trips', () => {
  const full = v2(
    {
      metrics: [
        cpu(65),
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'AverageValue', averageValue: '200m' } } },
        { type: 'Pods', pods: { metric: { name: 'rps', selector: { matchLabels: { a: 'b' } } }, target: { type: 'AverageValue', averageValue: '5' } } },
        { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' }, metric: { name: 'hits' }, target: { type: 'Value', value: '2k' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '100' } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
        scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      },
    },
    {
      observedGeneration: 3,
      currentReplicas: 4,
      desiredReplicas: 5,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 80, averageValue: '400m' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '6' } } },
      ],
      conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'SucceededRescale', message: 'ok' }],
    },
    { team: 'a' },
  );

  it('v2 → v1 → v2 loses nothing', () => {
    expect(hpaV1ToV2(hpaV2ToV1(full))).toEqual(full);
  });

  it('v1 → v2 → v1 loses nothing', () => {
    const original = v1({ targetCPUUtilizationPercentage: 55 }, { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 40, lastScaleTime: '2024-01-01T00:00:00Z' });
    const back = hpaV2ToV1(hpaV1ToV2(original));
    // v1 also records the raw current metrics in an annotation
    expect({ ...back, metadata: { ...back.metadata, annotations: undefined } }).toEqual({ ...original, metadata: { ...original.metadata, annotations: undefined } });
    expect(JSON.parse(back.metadata.annotations![HPA_CURRENT_METRICS_ANNOTATION])).toEqual([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 40 } }]);
  });

  it('stays stable over repeated trips', () => {
    const once = hpaV2ToV1(full);
    expect(hpaV2ToV1(hpaV1ToV2(once))).toEqual(once);
  });
});

describe('convertHpa', () => {
  it.each([
    ['v2 to v1', v2({ metrics: [cpu(70)] }), 'v1', 'autoscaling/v1'],
    ['v1 to v2', v1({ targetCPUUtilizationPercentage: 70 }), 'v2', 'autoscaling/v2'],
    ['v2 to v2', v2(), 'v2', 'autoscaling/v2'],
  ] as const)('converts %s', (_name, obj, version, apiVersion) => {
    expect(convertHpa(obj, version).apiVersion).toBe(apiVersion);
  });

  it('returns objects of other kinds unchanged', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
    expect(convertHpa(deployment, 'v1')).toBe(deployment);
  });
});
