export { runRelay, jobFor } from './relay.js';
export type { RelayDeps } from './relay.js';
