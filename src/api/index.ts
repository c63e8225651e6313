export { startApi } from './server.js';
export type { RunningApi } from './server.js';
export type { ApiDeps } from './context.js';
export { buildJudgeSchema } from './schema.js';
