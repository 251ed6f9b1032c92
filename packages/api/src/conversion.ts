/**
 * HorizontalPodAutoscaler conversion between autoscaling/v2 (the stored version) and
 * autoscaling/v1, as Kubernetes' autoscaling/v1 conversion does it: v1 carries only the CPU
 * utilization target, and everything else rides in `autoscaling.alpha.kubernetes.io/*`
 * annotations so a v2 → v1 → v2 round trip loses nothing.
 */
import { clone, type KubeObject } from './meta.js';
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  HorizontalPodAutoscalerV1,
  MetricSpec,
  MetricStatus,
} from './types/autoscaling.js';

/** v2 metrics other than the CPU utilization target, in v1's metric shape. */
export const HPA_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
/** v2 status.currentMetrics, in v1's metric status shape. */
export const HPA_CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
/** v2 status.conditions. */
export const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
/** v2 spec.behavior. */
export const HPA_BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP_ANNOTATIONS = [HPA_METRICS_ANNOTATION, HPA_CURRENT_METRICS_ANNOTATION, HPA_CONDITIONS_ANNOTATION, HPA_BEHAVIOR_ANNOTATION];

type Json = Record<string, any>;

/** True for the metric v1 expresses as targetCPUUtilizationPercentage. */
function isCpuUtilization(m: MetricSpec): boolean {
  return m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.averageUtilization !== undefined;
}

/** Returns `o` without its undefined members, so converted objects stay tidy JSON. */
function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Converts a stored autoscaling/v2 HPA to autoscaling/v1. Returns a new object; the input is
 * not changed.
 */
export function hpaV2ToV1(hpa: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const metadata = clone(hpa.metadata ?? {});
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  for (const key of ROUND_TRIP_ANNOTATIONS) delete annotations[key];
  const spec = hpa.spec;
  const metrics = spec?.metrics ?? [];
  const others = metrics.filter((m) => !isCpuUtilization(m));
  if (others.length > 0) annotations[HPA_METRICS_ANNOTATION] = JSON.stringify(others.map(metricSpecToV1));
  const status = hpa.status;
  if ((status?.currentMetrics ?? []).length > 0) annotations[HPA_CURRENT_METRICS_ANNOTATION] = JSON.stringify(status!.currentMetrics!.map(metricStatusToV1));
  if ((status?.conditions ?? []).length > 0) annotations[HPA_CONDITIONS_ANNOTATION] = JSON.stringify(status!.conditions);
  if (spec?.behavior) annotations[HPA_BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: HorizontalPodAutoscalerV1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata };
  if (spec) {
    const cpu = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    out.spec = compact({
      scaleTargetRef: clone(spec.scaleTargetRef),
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu?.resource?.target?.averageUtilization,
    });
  }
  if (status) {
    const cpu = (status.currentMetrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    out.status = compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: cpu?.resource?.current?.averageUtilization,
    });
  }
  return out;
}

/**
 * Converts an autoscaling/v1 HPA to autoscaling/v2, restoring what the round-trip annotations
 * carry (and dropping those annotations). With no target at all, the CPU 80% utilization
 * default applies, as in Kubernetes' conversion. Malformed annotations are ignored. Returns a
 * new object; the input is not changed.
 */
export function hpaV1ToV2(hpa: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const metadata = clone(hpa.metadata ?? {});
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  const read = (key: string): any[] | Json | undefined => {
    const raw = annotations[key];
    delete annotations[key];
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return undefined;
    }
  };
  const otherMetrics = read(HPA_METRICS_ANNOTATION);
  const currentMetrics = read(HPA_CURRENT_METRICS_ANNOTATION);
  const conditions = read(HPA_CONDITIONS_ANNOTATION);
  const behavior = read(HPA_BEHAVIOR_ANNOTATION);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: HorizontalPodAutoscaler = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata };
  if (hpa.spec) {
    const metrics: MetricSpec[] = [];
    const target = hpa.spec.targetCPUUtilizationPercentage;
    if (target !== undefined && target !== null) {
      metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
    }
    if (Array.isArray(otherMetrics)) metrics.push(...otherMetrics.map(metricSpecFromV1));
    if (metrics.length === 0) {
      metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } });
    }
    const spec: HorizontalPodAutoscalerSpec = compact({
      scaleTargetRef: clone(hpa.spec.scaleTargetRef),
      minReplicas: hpa.spec.minReplicas,
      maxReplicas: hpa.spec.maxReplicas,
      metrics,
      behavior: behavior && !Array.isArray(behavior) ? behavior : undefined,
    });
    out.spec = spec;
  }
  if (hpa.status) {
    const s = hpa.status;
    let current: MetricStatus[] | undefined;
    if (Array.isArray(currentMetrics)) current = currentMetrics.map(metricStatusFromV1);
    else if (s.currentCPUUtilizationPercentage !== undefined && s.currentCPUUtilizationPercentage !== null) {
      current = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }];
    }
    const status: HorizontalPodAutoscalerStatus = compact({
      observedGeneration: s.observedGeneration,
      lastScaleTime: s.lastScaleTime,
      // v2 omits a zero currentReplicas where v1 always writes it
      currentReplicas: s.currentReplicas || undefined,
      desiredReplicas: s.desiredReplicas,
      currentMetrics: current,
      conditions: Array.isArray(conditions) ? conditions : undefined,
    });
    out.status = status;
  }
  return out;
}

/**
 * Converts an HPA object of either version to `version` (`v1` or `v2`); other kinds and
 * objects already at that version come back unchanged (the same object).
 */
export function convertHpa(obj: KubeObject, version: 'v1' | 'v2'): KubeObject {
  if (obj.kind !== undefined && obj.kind !== 'HorizontalPodAutoscaler') return obj;
  if (version === 'v1' && obj.apiVersion === 'autoscaling/v2') return hpaV2ToV1(obj as HorizontalPodAutoscaler);
  if (version === 'v2' && obj.apiVersion === 'autoscaling/v1') return hpaV1ToV2(obj as HorizontalPodAutoscalerV1);
  return obj;
}

// ---- metric shapes: v2 ⇄ the v1 (v2beta1-style) shape the annotations carry ----

function metricSpecToV1(m: MetricSpec): Json {
  const out: Json = { type: m.type };
  if (m.object) {
    const t = m.object.target ?? {};
    out.object = compact({
      target: m.object.describedObject,
      metricName: m.object.metric?.name,
      targetValue: t.value,
      selector: m.object.metric?.selector,
      averageValue: t.averageValue,
    });
  }
  if (m.pods) out.pods = compact({ metricName: m.pods.metric?.name, targetAverageValue: m.pods.target?.averageValue, selector: m.pods.metric?.selector });
  if (m.resource) {
    out.resource = compact({ name: m.resource.name, targetAverageUtilization: m.resource.target?.averageUtilization, targetAverageValue: m.resource.target?.averageValue });
  }
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = compact({ name: c.name, container: c.container, targetAverageUtilization: c.target?.averageUtilization, targetAverageValue: c.target?.averageValue });
  }
  if (m.external) {
    const e = m.external;
    out.external = compact({ metricName: e.metric?.name, metricSelector: e.metric?.selector, targetValue: e.target?.value, targetAverageValue: e.target?.averageValue });
  }
  return out;
}

function metricSpecFromV1(m: Json): MetricSpec {
  const out: MetricSpec = { type: m?.type };
  const metric = (name: unknown, selector: unknown) => compact({ name: name as string, selector: selector as any });
  const resourceTarget = (utilization: number | undefined, averageValue: unknown) =>
    compact({ type: utilization === undefined ? 'AverageValue' : 'Utilization', averageUtilization: utilization, averageValue: averageValue as string });
  if (m?.object) {
    const o = m.object;
    const type = o.averageValue === undefined ? 'Value' : 'AverageValue';
    out.object = {
      describedObject: o.target,
      metric: metric(o.metricName, o.selector),
      target: compact({ type, value: type === 'Value' ? o.targetValue : undefined, averageValue: o.averageValue }),
    };
  }
  if (m?.pods) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue } };
  if (m?.resource) out.resource = { name: m.resource.name, target: resourceTarget(m.resource.targetAverageUtilization, m.resource.targetAverageValue) };
  if (m?.containerResource) {
    const c = m.containerResource;
    out.containerResource = { name: c.name, container: c.container, target: resourceTarget(c.targetAverageUtilization, c.targetAverageValue) };
  }
  if (m?.external) {
    const e = m.external;
    const type = e.targetValue !== undefined ? 'Value' : 'AverageValue';
    out.external = { metric: metric(e.metricName, e.metricSelector), target: compact({ type, value: e.targetValue, averageValue: e.targetAverageValue }) };
  }
  return out;
}

function metricStatusToV1(m: MetricStatus): Json {
  const out: Json = { type: m.type };
  if (m.object) {
    const o = m.object;
    out.object = compact({ target: o.describedObject, metricName: o.metric?.name, currentValue: o.current?.value, selector: o.metric?.selector, averageValue: o.current?.averageValue });
  }
  if (m.pods) out.pods = compact({ metricName: m.pods.metric?.name, currentAverageValue: m.pods.current?.averageValue, selector: m.pods.metric?.selector });
  if (m.resource) {
    out.resource = compact({ name: m.resource.name, currentAverageUtilization: m.resource.current?.averageUtilization, currentAverageValue: m.resource.current?.averageValue });
  }
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = compact({
      name: c.name,
      container: c.container,
      currentAverageUtilization: c.current?.averageUtilization,
      currentAverageValue: c.current?.averageValue,
    });
  }
  if (m.external) {
    const e = m.external;
    out.external = compact({ metricName: e.metric?.name, metricSelector: e.metric?.selector, currentValue: e.current?.value, currentAverageValue: e.current?.averageValue });
  }
  return out;
}

function metricStatusFromV1(m: Json): MetricStatus {
  const out: MetricStatus = { type: m?.type };
  const metric = (name: unknown, selector: unknown) => compact({ name: name as string, selector: selector as any });
  if (m?.object) {
    const o = m.object;
    out.object = { metric: metric(o.metricName, o.selector), current: compact({ value: o.currentValue, averageValue: o.averageValue }), describedObject: o.target };
  }
  if (m?.pods) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), current: compact({ averageValue: m.pods.currentAverageValue }) };
  if (m?.resource) {
    out.resource = { name: m.resource.name, current: compact({ averageUtilization: m.resource.currentAverageUtilization, averageValue: m.resource.currentAverageValue }) };
  }
  if (m?.containerResource) {
    const c = m.containerResource;
    out.containerResource = { name: c.name, container: c.container, current: compact({ averageUtilization: c.currentAverageUtilization, averageValue: c.currentAverageValue }) };
  }
  if (m?.external) {
    const e = m.external;
    out.external = { metric: metric(e.metricName, e.metricSelector), current: compact({ value: e.currentValue, averageValue: e.currentAverageValue }) };
  }
  return out;
}
