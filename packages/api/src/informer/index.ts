/** The informer: list + watch into a read-only indexed cache, with add/update/delete handlers. */
export { Informer } from './informer.js';
export type { InformerOptions, InformerHandlers } from './informer.js';
export type { IndexFunc } from './cache.js';
