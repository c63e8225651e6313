export { createMetrics, timed } from './metrics.js';
export type { Metrics } from './metrics.js';
