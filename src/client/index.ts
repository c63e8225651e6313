export { clientFromEnvironment, createClient, JudgeRequestError } from './judge-client.js';
export type { JudgeClient } from './judge-client.js';
