/** The controller workqueue: dedupe, dirty re-queue, delays and per-key backoff. */
export { WorkQueue } from './queue.js';
export type { WorkQueueOptions } from './queue.js';
export { ExponentialRateLimiter } from './rate-limiter.js';
export type { RateLimiter, ExponentialRateLimiterOptions } from './rate-limiter.js';
