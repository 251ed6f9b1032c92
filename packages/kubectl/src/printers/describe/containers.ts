/**
 * The container, volume and pod-template sections of describe output (shared by Pod, Deployment
 * and ReplicaSet), following kubectl's describeContainers / describeVolumes / DescribePodTemplate.
 */
import { formatQuantity, parseQuantity } from '../quantity.js';
import { formatTime, PrefixWriter, writeLabels, writeAnnotations, writeTolerations } from './writer.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are read as loose JSON here */
type Json = any;

/** `Containers:` (or `Init Containers:`) with one block per container; statuses add runtime state. */
export function writeContainers(w: PrefixWriter, label: string, containers: Json[] | undefined, statuses: Json[] | undefined, space: string): void {
  const list: Json[] = containers ?? [];
  w.write(0, `${space}${label}:${list.length === 0 ? ' <none>' : ''}\n`);
  const byName = new Map<string, Json>((statuses ?? []).map((s: Json) => [s.name, s]));
  for (const c of list) {
    const status = byName.get(c.name);
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
    const ports = portList(c.ports, 'containerPort');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = portList(c.ports, 'hostPort');
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    writeCommand(w, c);
    if (status) writeContainerState(w, status);
    writeResources(w, c.resources, 2);
    writeProbes(w, c);
    writeEnv(w, c);
    writeMounts(w, c);
  }
}

function portList(ports: Json[] | undefined, field: 'containerPort' | 'hostPort'): string {
  return (ports ?? []).map((p: Json) => `${p[field] ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
}

function writeCommand(w: PrefixWriter, c: Json): void {
  for (const [title, list] of [
    ['Command', c.command],
    ['Args', c.args],
  ] as const) {
    if (!list?.length) continue;
    w.write(2, `${title}:\n`);
    for (const item of list as string[]) for (const s of String(item).split('\n')) w.write(3, `${s}\n`);
  }
}

function writeContainerState(w: PrefixWriter, status: Json): void {
  writeState(w, 'State', status.state);
  if (status.lastState?.terminated) writeState(w, 'Last State', status.lastState);
  w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
  w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

function writeState(w: PrefixWriter, name: string, state: Json): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${formatTime(state.running.startedAt)}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${formatTime(t.startedAt)}\n`);
    w.write(3, `Finished:\t${formatTime(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
    if (state?.waiting?.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  }
}

/** `Limits:`/`Requests:` blocks, resource names sorted. */
export function writeResources(w: PrefixWriter, resources: Json, level: number): void {
  for (const [title, list] of [
    ['Limits', resources?.limits],
    ['Requests', resources?.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${formatQuantity(parseQuantity(list[n]))}\n`);
  }
}

function writeProbes(w: PrefixWriter, c: Json): void {
  for (const [title, probe] of [
    ['Liveness', c.livenessProbe],
    ['Readiness', c.readinessProbe],
    ['Startup', c.startupProbe],
  ] as const) {
    if (probe) w.write(2, `${title}:\t${describeProbe(probe)}\n`);
  }
}

/** kubectl's one-line probe summary (`http-get http://:8080/healthz delay=0s timeout=1s ...`). */
export function describeProbe(p: Json): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = String(p.httpGet.scheme ?? 'HTTP').toLowerCase();
    return `http-get ${scheme}://${p.httpGet.host ?? ''}:${p.httpGet.port ?? ''}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port ?? ''} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function writeEnv(w: PrefixWriter, c: Json): void {
  if (c.envFrom?.length) {
    w.write(2, 'Environment Variables from:\n');
    for (const e of c.envFrom) {
      const ref = e.configMapRef ?? e.secretRef ?? {};
      const from = e.configMapRef ? 'ConfigMap' : 'Secret';
      const prefix = e.prefix ? ` with prefix '${e.prefix}'` : '';
      w.write(3, `${ref.name ?? ''}\t${from}${prefix}\tOptional: ${ref.optional === true}\n`);
    }
  }
  const env: Json[] = c.env ?? [];
  w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const vf = e.valueFrom;
    if (!vf) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (vf.fieldRef) w.write(3, `${e.name}:\t (${vf.fieldRef.apiVersion ?? 'v1'}:${vf.fieldRef.fieldPath})\n`);
    else if (vf.resourceFieldRef) w.write(3, `${e.name}:\t (${vf.resourceFieldRef.resource})\n`);
    else if (vf.secretKeyRef) w.write(3, `${e.name}:\t<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>\tOptional: ${vf.secretKeyRef.optional === true}\n`);
    else if (vf.configMapKeyRef) w.write(3, `${e.name}:\t<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>\tOptional: ${vf.configMapKeyRef.optional === true}\n`);
  }
}

function writeMounts(w: PrefixWriter, c: Json): void {
  const mounts: Json[] = [...(c.volumeMounts ?? [])].sort((a: Json, b: Json) => String(a.mountPath).localeCompare(String(b.mountPath)));
  w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

/** `Volumes:` with a short description per volume source. */
export function writeVolumes(w: PrefixWriter, volumes: Json[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.emptyDir) {
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    } else if (v.hostPath) {
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`);
    } else if (v.configMap) {
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`);
    } else if (v.secret) {
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`);
    } else if (v.persistentVolumeClaim) {
      w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
    } else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    } else if (v.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const item of v.downwardAPI.items ?? []) w.write(3, `${item.fieldRef?.fieldPath ?? item.resourceFieldRef?.resource} -> ${item.path}\n`);
    } else w.write(1, '<unknown>\n');
  }
}

/** `Pod Template:` (DescribePodTemplate), used by Deployment and ReplicaSet. */
export function writePodTemplate(w: PrefixWriter, template: Json): void {
  w.write(0, 'Pod Template:\n');
  if (!template) {
    w.write(1, '<unset>');
    return;
  }
  writeLabels(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) writeAnnotations(w, '  Annotations', template.metadata.annotations);
  const spec = template.spec ?? {};
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) writeContainers(w, 'Init Containers', spec.initContainers, undefined, '  ');
  writeContainers(w, 'Containers', spec.containers, undefined, '  ');
  writeVolumes(w, spec.volumes, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  writeLabels(w, '  Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 'Tolerations', spec.tolerations, '  ');
}
