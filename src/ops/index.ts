export { handleOps, startOpsServer } from './ops.js';
export type { Ops } from './ops.js';
export { dockerAnswers, natsAnswers, postgresAnswers } from './readiness.js';
