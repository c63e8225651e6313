export type {
  Verdict,
  Limits,
  SubmissionEvent,
  SubmissionEventType,
  SubmissionReceived,
  JudgingStarted,
  CompileFinished,
  RunFinished,
  SubmissionJudged,
  JudgingFailed,
} from './events.js';
export { submissionStreamId } from './events.js';
export { DEFAULT_LIMITS, LIMIT_RANGES, LimitError, resolveLimits } from './limits.js';
export { sameTokens } from './compare.js';
export { runVerdict, worstVerdict } from './verdict.js';
export type { RunMeasurement } from './verdict.js';
export { evolve, fold, decide, overallVerdict, SubmissionRuleError } from './submission.js';
export type { Submission, SubmissionState, SubmissionStatus, SubmissionCommand, TestResult } from './submission.js';
