export { runWorker, registerLanguages } from './worker.js';
export type { WorkerDeps } from './worker.js';
export { judgeSubmission } from './judge-job.js';
