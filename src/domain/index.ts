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
  RejudgeRequested,
} from './events.js';
export { submissionStreamId } from './events.js';
export { DEFAULT_LIMITS, LIMIT_RANGES, LimitError, resolveLimits } from './limits.js';
export { compareOutput, sameTokens, DEFAULT_FLOAT_TOLERANCE } from './compare.js';
export type { Comparison, ComparisonRule } from './compare.js';
export { executionVerdict, runVerdict, worstVerdict } from './verdict.js';
export type { RunMeasurement } from './verdict.js';
export { evolve, fold, decide, overallVerdict, SubmissionRuleError } from './submission.js';
export type { Submission, SubmissionState, SubmissionStatus, SubmissionCommand, SubmissionView, TestResult } from './submission.js';
export {
  problemStreamId,
  evolveProblem,
  decideCreateProblem,
  validateProblem,
  groupOrder,
  ProblemRuleError,
} from './problem.js';
export type {
  Checker,
  CustomChecker,
  ProblemCreated,
  ProblemDefinition,
  ProblemEvent,
  ProblemRevised,
  ProblemState,
  ProblemTest,
  TestGroup,
} from './problem.js';
export { testOrder, shouldSkip, groupPoints, maxScore, score } from './grading.js';
export type { GradedTest } from './grading.js';
export { ROLES, RESERVED_TENANT, apiKeyStreamId, evolveApiKey, decideApiKey, ApiKeyRuleError } from './api-key.js';
export type { Role, ApiKeyCreated, ApiKeyRevoked, ApiKeyEvent, ApiKeyState, ApiKeyCommand } from './api-key.js';
