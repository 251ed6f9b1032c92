/**
 * The HorizontalPodAutoscaler printer: Name, Reference, Targets, MinPods, MaxPods, Replicas, Age.
 * Reads both shapes: autoscaling/v2 (`spec.metrics`) and autoscaling/v1
 * (`spec.targetCPUUtilizationPercentage`), which the apiserver converts to the same internal form.
 */
import { AGE_COLUMN, NAME_COLUMN, age, column, quantityString, spec, status, type Printer } from './helpers.js';

interface MetricTarget {
  type?: string;
  averageUtilization?: number;
  averageValue?: unknown;
  value?: unknown;
}

interface MetricValue {
  averageUtilization?: number;
  averageValue?: unknown;
  value?: unknown;
}

interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: MetricTarget };
  containerResource?: { name?: string; container?: string; target?: MetricTarget };
  pods?: { target?: MetricTarget };
  object?: { target?: MetricTarget };
  external?: { target?: MetricTarget };
}

interface MetricStatus {
  resource?: { current?: MetricValue };
  containerResource?: { current?: MetricValue };
  pods?: { current?: MetricValue };
  object?: { current?: MetricValue };
  external?: { current?: MetricValue };
}

interface HpaSpec {
  scaleTargetRef: { kind?: string; name?: string };
  minReplicas: number;
  maxReplicas: number;
  metrics: MetricSpec[];
  targetCPUUtilizationPercentage: number;
}

interface HpaStatus {
  currentReplicas: number;
  currentMetrics: MetricStatus[];
  currentCPUUtilizationPercentage: number;
}

const UNKNOWN = '<unknown>';

/** `cpu: 30%/80%`, `cpu: 250m/500m`, `<unknown>` where the current value is not known yet. */
function resourceTarget(name: string, target: MetricTarget | undefined, current: MetricValue | undefined): string {
  if (target?.averageValue !== undefined) {
    return `${name}: ${current?.averageValue !== undefined ? quantityString(current.averageValue) : UNKNOWN}/${quantityString(target.averageValue)}`;
  }
  const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : UNKNOWN;
  const want = target?.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${want}`;
}

function valueTarget(target: MetricTarget | undefined, current: MetricValue | undefined): string {
  if (target?.averageValue !== undefined) {
    return `${current?.averageValue !== undefined ? quantityString(current.averageValue) : UNKNOWN}/${quantityString(target.averageValue)} (avg)`;
  }
  return `${current?.value !== undefined ? quantityString(current.value) : UNKNOWN}/${quantityString(target?.value)}`;
}

function metricText(m: MetricSpec, s: MetricStatus | undefined): string {
  switch (m.type) {
    case 'Resource':
      return resourceTarget(m.resource?.name ?? '', m.resource?.target, s?.resource?.current);
    case 'ContainerResource':
      return resourceTarget(m.containerResource?.name ?? '', m.containerResource?.target, s?.containerResource?.current);
    case 'Pods':
      return `${s?.pods?.current?.averageValue !== undefined ? quantityString(s.pods.current.averageValue) : UNKNOWN}/${quantityString(m.pods?.target?.averageValue)}`;
    case 'Object':
      return valueTarget(m.object?.target, s?.object?.current);
    case 'External':
      return valueTarget(m.external?.target, s?.external?.current);
    default:
      return '<unknown type>';
  }
}

/** The v2 metrics of either version's object, with their current values. */
function metricsOf(sp: Partial<HpaSpec>, st: Partial<HpaStatus>): { specs: MetricSpec[]; statuses: MetricStatus[] } {
  if (sp.metrics) return { specs: sp.metrics, statuses: st.currentMetrics ?? [] };
  if (sp.targetCPUUtilizationPercentage === undefined) return { specs: [], statuses: [] };
  const specs: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: sp.targetCPUUtilizationPercentage } } }];
  const current = st.currentCPUUtilizationPercentage;
  const statuses: MetricStatus[] = current === undefined ? [] : [{ resource: { current: { averageUtilization: current } } }];
  return { specs, statuses };
}

/** `formatHPAMetrics`: at most two targets, then `+ N more...`; `<none>` without metrics. */
export function formatHpaMetrics(sp: Partial<HpaSpec>, st: Partial<HpaStatus>): string {
  const { specs, statuses } = metricsOf(sp, st);
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.map((m, i) => metricText(m, statuses[i]));
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} + ${list.length - max} more...` : shown;
}

export const hpaPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    AGE_COLUMN,
  ],
  cells(hpa, now) {
    const sp = spec<HpaSpec>(hpa);
    const st = status<HpaStatus>(hpa);
    return [
      hpa.metadata?.name ?? '',
      `${sp.scaleTargetRef?.kind ?? ''}/${sp.scaleTargetRef?.name ?? ''}`,
      formatHpaMetrics(sp, st),
      sp.minReplicas !== undefined ? String(sp.minReplicas) : '<unset>',
      sp.maxReplicas ?? 0,
      st.currentReplicas ?? 0,
      age(hpa, now),
    ];
  },
};
