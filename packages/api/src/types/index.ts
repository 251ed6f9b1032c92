/**
 * Kind types, one file per API group, with Kubernetes' exact field names.
 */
export type * from './common.js';
export type * from './core.js';
export type * from './apps.js';
export type * from './batch.js';
export type * from './coordination.js';
export type * from './storage.js';
export type * from './autoscaling.js';
export type * from './policy.js';
export type * from './discovery.js';
