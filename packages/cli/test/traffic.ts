/** Continuous HTTP traffic for chaos tests: the same loop `kubesim chaos` measures with. */
export { formatRate, getOnce, TrafficLoop } from '../src/chaos/traffic.js';
export type { TrafficResult } from '../src/chaos/traffic.js';
