/**
 * Pod defaulting: SetDefaults_PodSpec and what it reaches (containers, probes, volumes) for
 * every pod spec, and for Pods themselves SetDefaults_Pod, the create strategy's status, and
 * the mutating admission plugins a stock apiserver runs (ServiceAccount, Priority,
 * DefaultTolerationSeconds).
 */
import { child, defaultNum, defaultPtr, defaultStr, isObj, items, unset, type Obj } from './json.js';
import { podQOSClass } from './qos.js';

/** Every key of core/v1 VolumeSource: a volume with none of them becomes an emptyDir. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

/** 0644, the default file mode of configMap, secret, downwardAPI and projected volumes. */
const DEFAULT_MODE = 420;
const DEFAULT_TOLERATION_SECONDS = 300;
const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/** Defaults a pod spec wherever it appears (Pod, or a workload's template). */
export function defaultPodSpec(spec: Obj): void {
  defaultStr(spec, 'dnsPolicy', 'ClusterFirst');
  defaultStr(spec, 'restartPolicy', 'Always');
  defaultPtr(spec, 'securityContext', {});
  defaultPtr(spec, 'terminationGracePeriodSeconds', 30);
  defaultStr(spec, 'schedulerName', 'default-scheduler');
  // serviceAccount is the deprecated alias; v1 conversion fills each from the other
  if ((unset(spec.serviceAccountName) || spec.serviceAccountName === '') && typeof spec.serviceAccount === 'string') {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') spec.serviceAccount = spec.serviceAccountName;
  for (const c of [...items(spec, 'initContainers'), ...items(spec, 'containers')]) defaultContainer(c);
  for (const v of items(spec, 'volumes')) defaultVolume(v);
  if (spec.hostNetwork === true) {
    for (const c of [...items(spec, 'initContainers'), ...items(spec, 'containers')]) {
      for (const p of items(c, 'ports')) if (unset(p.hostPort) || p.hostPort === 0) p.hostPort = p.containerPort;
    }
  }
}

/**
 * Defaults a Pod: its spec, then the Pod-only defaults, admission plugins and status.
 * `tolerationSeconds` is DefaultTolerationSeconds' setting (300 unless the cluster says).
 */
export function defaultPod(pod: Obj, tolerationSeconds = DEFAULT_TOLERATION_SECONDS): void {
  const spec = child(pod, 'spec');
  if (spec) {
    defaultPodSpec(spec);
    for (const c of [...items(spec, 'containers'), ...items(spec, 'initContainers')]) defaultRequestsToLimits(c);
    defaultPtr(spec, 'enableServiceLinks', true);
    defaultStr(spec, 'serviceAccountName', 'default');
    if (typeof spec.serviceAccountName === 'string') spec.serviceAccount = spec.serviceAccountName;
    defaultPriority(spec);
    defaultTolerations(spec, tolerationSeconds);
  }
  const status = child(pod, 'status', true);
  if (status) {
    defaultStr(status, 'phase', 'Pending');
    if (unset(status.qosClass)) status.qosClass = podQOSClass(spec);
  }
}

function defaultContainer(c: Obj): void {
  if (unset(c.imagePullPolicy) || c.imagePullPolicy === '') {
    c.imagePullPolicy = imageTag(typeof c.image === 'string' ? c.image : '') === 'latest' ? 'Always' : 'IfNotPresent';
  }
  defaultStr(c, 'terminationMessagePath', '/dev/termination-log');
  defaultStr(c, 'terminationMessagePolicy', 'File');
  for (const p of items(c, 'ports')) defaultStr(p, 'protocol', 'TCP');
  for (const e of items(c, 'env')) {
    const fieldRef = child(child(e, 'valueFrom') ?? {}, 'fieldRef');
    if (fieldRef) defaultStr(fieldRef, 'apiVersion', 'v1');
  }
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = child(c, key);
    if (probe) defaultProbe(probe);
  }
  const lifecycle = child(c, 'lifecycle');
  for (const key of ['postStart', 'preStop']) {
    const httpGet = lifecycle && child(child(lifecycle, key) ?? {}, 'httpGet');
    if (httpGet) defaultHttpGet(httpGet);
  }
}

/**
 * The tag ParseImageName finds: the part after the last `:` of the last path segment, with
 * `latest` when there is neither tag nor digest.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon >= 0) return last.slice(colon + 1);
  return at < 0 ? 'latest' : '';
}

function defaultProbe(probe: Obj): void {
  defaultNum(probe, 'timeoutSeconds', 1);
  defaultNum(probe, 'periodSeconds', 10);
  defaultNum(probe, 'successThreshold', 1);
  defaultNum(probe, 'failureThreshold', 3);
  const httpGet = child(probe, 'httpGet');
  if (httpGet) defaultHttpGet(httpGet);
}

function defaultHttpGet(action: Obj): void {
  defaultStr(action, 'path', '/');
  defaultStr(action, 'scheme', 'HTTP');
}

function defaultVolume(v: Obj): void {
  if (VOLUME_SOURCES.every((k) => unset(v[k]))) v.emptyDir = {};
  const hostPath = child(v, 'hostPath');
  if (hostPath) defaultPtr(hostPath, 'type', '');
  for (const key of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const source = child(v, key);
    if (source) defaultPtr(source, 'defaultMode', DEFAULT_MODE);
  }
  for (const item of items(child(v, 'downwardAPI'), 'items')) defaultFieldRef(item);
  for (const source of items(child(v, 'projected'), 'sources')) {
    const token = child(source, 'serviceAccountToken');
    if (token) defaultPtr(token, 'expirationSeconds', 3600);
    for (const item of items(child(source, 'downwardAPI'), 'items')) defaultFieldRef(item);
  }
}

function defaultFieldRef(item: Obj): void {
  const fieldRef = child(item, 'fieldRef');
  if (fieldRef) defaultStr(fieldRef, 'apiVersion', 'v1');
}

/** A container with limits but no request for a resource requests its limit. */
function defaultRequestsToLimits(c: Obj): void {
  const resources = child(c, 'resources');
  const limits = resources && child(resources, 'limits');
  if (!resources || !limits) return;
  const requests = child(resources, 'requests', true);
  if (!requests) return;
  for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
}

/** The Priority admission plugin with no PriorityClass objects but the two system ones. */
function defaultPriority(spec: Obj): void {
  const className = spec.priorityClassName;
  if (unset(spec.priority)) {
    if (unset(className) || className === '') spec.priority = 0;
    else if (typeof className === 'string' && className in SYSTEM_PRIORITIES) spec.priority = SYSTEM_PRIORITIES[className];
  }
  if (!unset(spec.priority)) defaultPtr(spec, 'preemptionPolicy', 'PreemptLowerPriority');
}

/** DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for a while unless told. */
function defaultTolerations(spec: Obj, seconds: number): void {
  if (!unset(spec.tolerations) && !Array.isArray(spec.tolerations)) return;
  const tolerations = (spec.tolerations ?? []) as unknown[];
  const tolerates = (key: string) =>
    tolerations.some(
      (t) => isObj(t) && (t.key === key || unset(t.key) || t.key === '') && (t.effect === 'NoExecute' || unset(t.effect) || t.effect === ''),
    );
  const added = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']
    .filter((key) => !tolerates(key))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}
