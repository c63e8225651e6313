export { runProjector, projectSubmissions } from './submissions.js';
export type { ProjectorDeps } from './submissions.js';
export { findSubmission, listSubmissions, isUuid } from './read.js';
export type { SubmissionPageQuery } from './read.js';
