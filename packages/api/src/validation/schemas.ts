/**
 * The JSON shape of every kind kubesim serves, field names as in ../types/. Parts kubesim
 * keeps loose in its types (security contexts, affinity, projected sources) are `any` here.
 */
import { ENDPOINT_SLICE_FIELDS } from './discovery.js';
import { list, map, obj, type Shape } from './shape.js';

const S = 'string' as const;
const I = 'int' as const;
const B = 'bool' as const;
const Q = 'quantity' as const;
const IOS = 'intOrString' as const;
const A = 'any' as const;
const strings = list(S);
const stringMap = map(S);
const resourceList = map(Q);

const objectMeta = obj({
  name: S,
  generateName: S,
  namespace: S,
  uid: S,
  resourceVersion: S,
  generation: I,
  creationTimestamp: S,
  deletionTimestamp: S,
  deletionGracePeriodSeconds: I,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: list(obj({ apiVersion: S, kind: S, name: S, uid: S, controller: B, blockOwnerDeletion: B })),
  finalizers: strings,
  managedFields: list(A),
});

const labelSelector = obj({
  matchLabels: stringMap,
  matchExpressions: list(obj({ key: S, operator: S, values: strings })),
});
const objectReference = obj({ kind: S, namespace: S, name: S, uid: S, apiVersion: S, resourceVersion: S, fieldPath: S });
const localRef = obj({ name: S });
const condition = obj({ type: S, status: S, observedGeneration: I, lastTransitionTime: S, lastUpdateTime: S, lastProbeTime: S, lastHeartbeatTime: S, reason: S, message: S });

// ---- pod ----

const fieldRef = obj({ apiVersion: S, fieldPath: S });
const resourceFieldRef = obj({ containerName: S, resource: S, divisor: Q });
const keyRef = obj({ name: S, key: S, optional: B });
const httpGet = obj({ path: S, port: IOS, host: S, scheme: S, httpHeaders: list(obj({ name: S, value: S })) });
const tcpSocket = obj({ port: IOS, host: S });
const exec = obj({ command: strings });
const probe = obj({
  exec,
  httpGet,
  tcpSocket,
  grpc: obj({ port: I, service: S }),
  initialDelaySeconds: I,
  timeoutSeconds: I,
  periodSeconds: I,
  successThreshold: I,
  failureThreshold: I,
  terminationGracePeriodSeconds: I,
});
const lifecycleHandler = obj({ exec, httpGet, tcpSocket, sleep: obj({ seconds: I }) });

const container = obj({
  name: S,
  image: S,
  command: strings,
  args: strings,
  workingDir: S,
  ports: list(obj({ name: S, hostPort: I, containerPort: I, protocol: S, hostIP: S })),
  envFrom: list(obj({ prefix: S, configMapRef: obj({ name: S, optional: B }), secretRef: obj({ name: S, optional: B }) })),
  env: list(obj({ name: S, value: S, valueFrom: obj({ fieldRef, resourceFieldRef, configMapKeyRef: keyRef, secretKeyRef: keyRef }) })),
  resources: obj({ limits: resourceList, requests: resourceList, claims: list(obj({ name: S, request: S })) }),
  restartPolicy: S,
  volumeMounts: list(obj({ name: S, readOnly: B, recursiveReadOnly: S, mountPath: S, subPath: S, mountPropagation: S, subPathExpr: S })),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: obj({ postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: S }),
  terminationMessagePath: S,
  terminationMessagePolicy: S,
  imagePullPolicy: S,
  securityContext: obj({}),
  stdin: B,
  stdinOnce: B,
  tty: B,
});

const keyToPath = obj({ key: S, path: S, mode: I });
const volume = obj({
  name: S,
  emptyDir: obj({ medium: S, sizeLimit: Q }),
  hostPath: obj({ path: S, type: S }),
  configMap: obj({ name: S, items: list(keyToPath), defaultMode: I, optional: B }),
  secret: obj({ secretName: S, items: list(keyToPath), defaultMode: I, optional: B }),
  persistentVolumeClaim: obj({ claimName: S, readOnly: B }),
  downwardAPI: obj({ items: list(obj({ path: S, fieldRef, resourceFieldRef, mode: I })), defaultMode: I }),
  projected: obj({ sources: list(A), defaultMode: I }),
});

const podSpec = obj({
  volumes: list(volume),
  initContainers: list(container),
  containers: list(container),
  restartPolicy: S,
  terminationGracePeriodSeconds: I,
  activeDeadlineSeconds: I,
  dnsPolicy: S,
  nodeSelector: stringMap,
  serviceAccountName: S,
  serviceAccount: S,
  automountServiceAccountToken: B,
  nodeName: S,
  hostNetwork: B,
  hostPID: B,
  hostIPC: B,
  securityContext: obj({}),
  imagePullSecrets: list(localRef),
  hostname: S,
  subdomain: S,
  affinity: obj({}),
  schedulerName: S,
  tolerations: list(obj({ key: S, operator: S, value: S, effect: S, tolerationSeconds: I })),
  priorityClassName: S,
  priority: I,
  readinessGates: list(obj({ conditionType: S })),
  runtimeClassName: S,
  enableServiceLinks: B,
  preemptionPolicy: S,
  overhead: resourceList,
  topologySpreadConstraints: list(obj({ maxSkew: I, topologyKey: S, whenUnsatisfiable: S, labelSelector, minDomains: I })),
  schedulingGates: list(obj({ name: S })),
});

const containerState = obj({
  waiting: obj({ reason: S, message: S }),
  running: obj({ startedAt: S }),
  terminated: obj({ exitCode: I, signal: I, reason: S, message: S, startedAt: S, finishedAt: S, containerID: S }),
});
const containerStatus = obj({
  name: S,
  state: containerState,
  lastState: containerState,
  ready: B,
  restartCount: I,
  image: S,
  imageID: S,
  containerID: S,
  started: B,
});
const podIPs = list(obj({ ip: S }));
const podStatus = obj({
  phase: S,
  conditions: list(condition),
  message: S,
  reason: S,
  nominatedNodeName: S,
  hostIP: S,
  hostIPs: podIPs,
  podIP: S,
  podIPs,
  startTime: S,
  initContainerStatuses: list(containerStatus),
  containerStatuses: list(containerStatus),
  qosClass: S,
});

/** A workload's pod template. */
export const podTemplate = obj({ metadata: objectMeta, spec: podSpec });

// ---- kinds ----

const kind = (fields: { readonly [field: string]: Shape }): Shape => obj({ apiVersion: S, kind: S, metadata: objectMeta, ...fields });
const metricIdentifier = obj({ name: S, selector: labelSelector });
const metricTarget = obj({ type: S, value: Q, averageValue: Q, averageUtilization: I });
const metricValue = obj({ value: Q, averageValue: Q, averageUtilization: I });
const crossVersionRef = obj({ kind: S, name: S, apiVersion: S });
const scalingRules = obj({
  stabilizationWindowSeconds: I,
  selectPolicy: S,
  policies: list(obj({ type: S, value: I, periodSeconds: I })),
  tolerance: Q,
});
const hpaStatusCommon = { observedGeneration: I, lastScaleTime: S, currentReplicas: I, desiredReplicas: I };
const servicePort = obj({ name: S, protocol: S, appProtocol: S, port: I, targetPort: IOS, nodePort: I });
const endpointAddress = obj({ ip: S, hostname: S, nodeName: S, targetRef: objectReference });
const hostPathSource = obj({ path: S, type: S });

/** Shapes by `group/version/kind`, the core group being "". */
export const SHAPES: Readonly<Record<string, Shape>> = {
  '/v1/Namespace': kind({ spec: obj({ finalizers: strings }), status: obj({ phase: S, conditions: list(condition) }) }),
  '/v1/Node': kind({
    spec: obj({ podCIDR: S, podCIDRs: strings, providerID: S, unschedulable: B, taints: list(obj({ key: S, value: S, effect: S, timeAdded: S })) }),
    status: obj({
      capacity: resourceList,
      allocatable: resourceList,
      phase: S,
      conditions: list(condition),
      addresses: list(obj({ type: S, address: S })),
      daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: I }) }),
      nodeInfo: stringMap,
      images: list(obj({ names: strings, sizeBytes: I })),
      volumesInUse: strings,
    }),
  }),
  '/v1/Pod': kind({ spec: podSpec, status: podStatus }),
  '/v1/Service': kind({
    spec: obj({
      ports: list(servicePort),
      selector: stringMap,
      clusterIP: S,
      clusterIPs: strings,
      type: S,
      externalIPs: strings,
      sessionAffinity: S,
      loadBalancerIP: S,
      loadBalancerSourceRanges: strings,
      externalName: S,
      externalTrafficPolicy: S,
      healthCheckNodePort: I,
      publishNotReadyAddresses: B,
      sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: I }) }),
      ipFamilies: strings,
      ipFamilyPolicy: S,
      allocateLoadBalancerNodePorts: B,
      loadBalancerClass: S,
      internalTrafficPolicy: S,
    }),
    status: obj({ loadBalancer: obj({ ingress: list(obj({ ip: S, hostname: S, ipMode: S, ports: list(A) })) }), conditions: list(condition) }),
  }),
  '/v1/Endpoints': kind({
    subsets: list(
      obj({
        addresses: list(endpointAddress),
        notReadyAddresses: list(endpointAddress),
        ports: list(obj({ name: S, port: I, protocol: S, appProtocol: S })),
      }),
    ),
  }),
  '/v1/Event': kind({
    involvedObject: objectReference,
    reason: S,
    message: S,
    source: obj({ component: S, host: S }),
    firstTimestamp: S,
    lastTimestamp: S,
    count: I,
    type: S,
    eventTime: S,
    series: obj({ count: I, lastObservedTime: S }),
    action: S,
    related: objectReference,
    reportingComponent: S,
    reportingInstance: S,
  }),
  '/v1/ConfigMap': kind({ immutable: B, data: stringMap, binaryData: stringMap }),
  '/v1/Secret': kind({ immutable: B, data: stringMap, stringData: stringMap, type: S }),
  '/v1/ServiceAccount': kind({ secrets: list(objectReference), imagePullSecrets: list(localRef), automountServiceAccountToken: B }),
  '/v1/PersistentVolume': kind({
    spec: obj({
      capacity: resourceList,
      accessModes: strings,
      claimRef: objectReference,
      persistentVolumeReclaimPolicy: S,
      storageClassName: S,
      mountOptions: strings,
      volumeMode: S,
      nodeAffinity: obj({}),
      hostPath: hostPathSource,
      local: obj({ path: S, fsType: S }),
      nfs: obj({ server: S, path: S, readOnly: B }),
      csi: obj({}),
    }),
    status: obj({ phase: S, message: S, reason: S, lastPhaseTransitionTime: S }),
  }),
  '/v1/PersistentVolumeClaim': kind({
    spec: obj({
      accessModes: strings,
      selector: labelSelector,
      resources: obj({ requests: resourceList, limits: resourceList }),
      volumeName: S,
      storageClassName: S,
      volumeMode: S,
      dataSource: obj({}),
      dataSourceRef: obj({}),
      volumeAttributesClassName: S,
    }),
    status: obj({ phase: S, accessModes: strings, capacity: resourceList, conditions: list(condition), allocatedResources: resourceList }),
  }),
  'apps/v1/Deployment': kind({
    spec: obj({
      replicas: I,
      selector: labelSelector,
      template: podTemplate,
      strategy: obj({ type: S, rollingUpdate: obj({ maxUnavailable: IOS, maxSurge: IOS }) }),
      minReadySeconds: I,
      revisionHistoryLimit: I,
      paused: B,
      progressDeadlineSeconds: I,
    }),
    status: obj({
      observedGeneration: I,
      replicas: I,
      updatedReplicas: I,
      readyReplicas: I,
      availableReplicas: I,
      unavailableReplicas: I,
      terminatingReplicas: I,
      conditions: list(condition),
      collisionCount: I,
    }),
  }),
  'apps/v1/ReplicaSet': kind({
    spec: obj({ replicas: I, minReadySeconds: I, selector: labelSelector, template: podTemplate }),
    status: obj({
      replicas: I,
      fullyLabeledReplicas: I,
      readyReplicas: I,
      availableReplicas: I,
      terminatingReplicas: I,
      observedGeneration: I,
      conditions: list(condition),
    }),
  }),
  'batch/v1/Job': kind({
    spec: obj({
      parallelism: I,
      completions: I,
      activeDeadlineSeconds: I,
      podFailurePolicy: obj({}),
      successPolicy: obj({}),
      backoffLimit: I,
      backoffLimitPerIndex: I,
      maxFailedIndexes: I,
      selector: labelSelector,
      manualSelector: B,
      template: podTemplate,
      ttlSecondsAfterFinished: I,
      completionMode: S,
      suspend: B,
      podReplacementPolicy: S,
      managedBy: S,
    }),
    status: obj({
      conditions: list(condition),
      startTime: S,
      completionTime: S,
      active: I,
      succeeded: I,
      failed: I,
      terminating: I,
      completedIndexes: S,
      failedIndexes: S,
      uncountedTerminatedPods: obj({ succeeded: strings, failed: strings }),
      ready: I,
    }),
  }),
  'coordination.k8s.io/v1/Lease': kind({
    spec: obj({ holderIdentity: S, leaseDurationSeconds: I, acquireTime: S, renewTime: S, leaseTransitions: I, strategy: S, preferredHolder: S }),
  }),
  'storage.k8s.io/v1/StorageClass': kind({
    provisioner: S,
    parameters: stringMap,
    reclaimPolicy: S,
    mountOptions: strings,
    allowVolumeExpansion: B,
    volumeBindingMode: S,
    allowedTopologies: list(A),
  }),
  'autoscaling/v2/HorizontalPodAutoscaler': kind({
    spec: obj({
      scaleTargetRef: crossVersionRef,
      minReplicas: I,
      maxReplicas: I,
      metrics: list(
        obj({
          type: S,
          object: obj({ describedObject: crossVersionRef, target: metricTarget, metric: metricIdentifier }),
          pods: obj({ metric: metricIdentifier, target: metricTarget }),
          resource: obj({ name: S, target: metricTarget }),
          containerResource: obj({ name: S, container: S, target: metricTarget }),
          external: obj({ metric: metricIdentifier, target: metricTarget }),
        }),
      ),
      behavior: obj({ scaleUp: scalingRules, scaleDown: scalingRules }),
    }),
    status: obj({
      ...hpaStatusCommon,
      currentMetrics: list(
        obj({
          type: S,
          object: obj({ metric: metricIdentifier, current: metricValue, describedObject: crossVersionRef }),
          pods: obj({ metric: metricIdentifier, current: metricValue }),
          resource: obj({ name: S, current: metricValue }),
          containerResource: obj({ name: S, container: S, current: metricValue }),
          external: obj({ metric: metricIdentifier, current: metricValue }),
        }),
      ),
      conditions: list(condition),
    }),
  }),
  'autoscaling/v1/HorizontalPodAutoscaler': kind({
    spec: obj({ scaleTargetRef: crossVersionRef, minReplicas: I, maxReplicas: I, targetCPUUtilizationPercentage: I }),
    status: obj({ ...hpaStatusCommon, currentCPUUtilizationPercentage: I }),
  }),
  'discovery.k8s.io/v1/EndpointSlice': kind(ENDPOINT_SLICE_FIELDS),
  'policy/v1/PodDisruptionBudget': kind({
    spec: obj({ minAvailable: IOS, selector: labelSelector, maxUnavailable: IOS, unhealthyPodEvictionPolicy: S }),
    status: obj({
      observedGeneration: I,
      disruptedPods: stringMap,
      disruptionsAllowed: I,
      currentHealthy: I,
      desiredHealthy: I,
      expectedPods: I,
      conditions: list(condition),
    }),
  }),
};
