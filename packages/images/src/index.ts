import { fileURLToPath } from 'node:url';

export type { ContainerIo, ContainerMount, ContainerSpec, ImageInfo } from './types.js';
export { resolveImage } from './registry.js';
export { runContainer, startError } from './run.js';

/** Absolute path of the process runtime's entry point (`node <path>` with KUBESIM_CONTAINER_SPEC). */
export const processEntryPath: string = fileURLToPath(new URL('./main.js', import.meta.url));

/** Absolute path of the thread runtime's entry point (`new Worker(path, { workerData: spec })`). */
export const workerEntryPath: string = fileURLToPath(new URL('./worker.js', import.meta.url));
