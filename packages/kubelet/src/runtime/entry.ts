/** Where the images package's container entry points are. */
import { processEntryPath, workerEntryPath } from '@kubesim/images';

/** Path of the images package's process (`main.js`) or thread (`worker.js`) entry point. */
export function imagesEntry(file: 'main.js' | 'worker.js'): string {
  return file === 'main.js' ? processEntryPath : workerEntryPath;
}
