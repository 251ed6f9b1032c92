/**
 * Server-side Table conversion (`kubectl get` asks for `as=Table;v=v1;g=meta.k8s.io`): each kind
 * prints with the columns and cell formats of the real apiserver's printers; kinds without a
 * printer get Name and Created At.
 */
import type { KubeObject, ResourceInfo } from '@kubesim/api';
import { configMapPrinter, endpointsPrinter, namespacePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core.js';
import { defaultPrinter } from './default.js';
import { endpointSlicePrinter } from './discovery.js';
import { eventPrinter } from './event.js';
import type { Printer, Table, TableRow } from './helpers.js';
import { hpaPrinter } from './hpa.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { leasePrinter, podDisruptionBudgetPrinter } from './policy.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage.js';
import { deploymentPrinter, jobPrinter, replicaSetPrinter } from './workloads.js';

export type { Table, TableColumnDefinition, TableRow, TableRowCondition, PartialObjectMetadata } from './helpers.js';
export { summarizePod } from './pod.js';

/** Printers by `group/Kind` ("" for the core group). */
const PRINTERS: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Node': nodePrinter,
  '/Namespace': namespacePrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/Event': eventPrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/PersistentVolume': persistentVolumePrinter,
  '/PersistentVolumeClaim': persistentVolumeClaimPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'batch/Job': jobPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'storage.k8s.io/StorageClass': storageClassPrinter,
  'autoscaling/HorizontalPodAutoscaler': hpaPrinter,
  'policy/PodDisruptionBudget': podDisruptionBudgetPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
};

export interface TableOptions {
  /** The time ages are measured against. */
  now: Date;
  /** The list's (or object's) resourceVersion: where `kubectl get -w` starts watching. */
  resourceVersion?: string;
  /** The continue token of a paginated list. */
  continue?: string;
  /** Omit the column definitions (`columnDefinitions: null`), as watch events after the first do. */
  noHeaders?: boolean;
}

/** The printer the apiserver uses for a resource. */
export function printerFor(info: Pick<ResourceInfo, 'group' | 'kind'>): Printer {
  return PRINTERS[`${info.group}/${info.kind}`] ?? defaultPrinter;
}

/**
 * Converts objects of one resource to a meta.k8s.io/v1 Table. Every column is filled, wide ones
 * included (kubectl hides priority-1 columns unless `-o wide`); each row carries the object's full
 * metadata as a PartialObjectMetadata, which kubectl needs for `-A`, `--show-labels` and `-L`.
 */
export function toTable(info: Pick<ResourceInfo, 'group' | 'kind'>, objects: readonly KubeObject[], opts: TableOptions): Table {
  const printer = printerFor(info);
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  const rows = objects.map((obj): TableRow => {
    const conditions = printer.conditions?.(obj);
    return {
      cells: printer.cells(obj, opts.now),
      ...(conditions ? { conditions } : {}),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} },
    };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? null : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
