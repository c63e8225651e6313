export { runRelay, jobFor, RELAY_CHECKPOINT } from './relay.js';
export type { RelayDeps } from './relay.js';
