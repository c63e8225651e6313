export { runProjector, projectBatch, PROJECTION_CHECKPOINT } from './projector.js';
export type { ProjectorDeps } from './projector.js';
export { findSubmission, listSubmissions, findProblem, findProblems, listProblems, isUuid } from './read.js';
export type { SubmissionPageQuery } from './read.js';
export { createScratch, replayInto } from './scratch.js';
export type { Scratch } from './scratch.js';
export { rebuildReadModels } from './rebuild.js';
export { findApiKey, findApiKeyByTokenHash } from './api-keys.js';
