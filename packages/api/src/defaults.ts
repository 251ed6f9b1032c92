/**
 * Defaulting as the Kubernetes apiserver does it, per kind (see ./defaults/).
 */
export { defaultObject } from './defaults/index.js';
