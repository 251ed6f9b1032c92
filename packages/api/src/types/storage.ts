/**
 * storage.k8s.io/v1 kinds: StorageClass.
 */
import type { KubeObject, ObjectMeta } from '../meta.js';

export interface StorageClass extends KubeObject {
  apiVersion?: 'storage.k8s.io/v1';
  kind?: 'StorageClass';
  metadata: ObjectMeta;
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: 'Delete' | 'Retain' | string;
  mountOptions?: string[];
  allowVolumeExpansion?: boolean;
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer' | string;
  allowedTopologies?: Record<string, unknown>[];
}
