export { busNames } from './names.js';
export type { BusNames } from './names.js';
export { connectBus } from './connect.js';
export { ensureStreams, ensureWorkerConsumer, deleteStreams } from './streams.js';
export type { WorkerConsumerOptions } from './streams.js';
export { encodeJson, decodeJson } from './messages.js';
export type { JudgeJob, ViewChanged } from './messages.js';
