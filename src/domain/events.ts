// The facts of the judge's world. Event data is plain JSON; every judging event carries the
// round it belongs to, so a rejudge never mixes its results with an older round's.

export type Verdict =
  | 'ACCEPTED'
  | 'WRONG_ANSWER'
  | 'TIME_LIMIT_EXCEEDED'
  | 'MEMORY_LIMIT_EXCEEDED'
  | 'OUTPUT_LIMIT_EXCEEDED'
  | 'RUNTIME_ERROR'
  | 'COMPILATION_ERROR'
  | 'INTERNAL_ERROR'
  | 'SKIPPED';

export interface Limits {
  timeMs: number;
  wallTimeMs: number;
  memoryKb: number;
  outputKb: number;
  processes: number;
}

export interface SubmissionReceived {
  type: 'SubmissionReceived';
  data: {
    submissionId: string;
    tenant: string;
    language: string;
    source: string;
    stdin: string;
    /** null: accept any run that ends within its limits with exit code 0 */
    expectedOutput: string | null;
    limits: Limits;
    idempotencyKey: string | null;
    receivedAt: string;
    /** judged against this problem's tests at this dataset version; absent (old events) or null: ad-hoc */
    problemId?: string | null;
    problemVersion?: number | null;
    /** the problem's points, known at submit so the view shows it from the start */
    maxScore?: number | null;
  };
}

export interface RejudgeRequested {
  type: 'RejudgeRequested';
  data: { round: number; requestedAt: string; reason: string | null; /** for the job's subject */ language: string };
}

export interface JudgingStarted {
  type: 'JudgingStarted';
  data: { round: number; worker: string; startedAt: string; /** false for interpreted languages */ compiles?: boolean };
}

export interface CompileFinished {
  type: 'CompileFinished';
  data: { round: number; success: boolean; output: string; timeMs: number };
}

export interface RunFinished {
  type: 'RunFinished';
  data: {
    round: number;
    index: number;
    /** the test's group; null for the default group and ad-hoc runs */
    group?: string | null;
    verdict: Verdict;
    timeMs: number;
    wallTimeMs: number;
    memoryKb: number;
    exitCode: number | null;
    signal: number | null;
    /** ad-hoc runs keep the program's output (truncated at the output limit) */
    stdout: string | null;
    stderr: string | null;
    checkerMessage?: string | null;
  };
}

export interface SubmissionJudged {
  type: 'SubmissionJudged';
  data: {
    round: number;
    verdict: Verdict;
    timeMs: number | null;
    memoryKb: number | null;
    judgedAt: string;
    /** points earned; absent or null for ad-hoc runs */
    score?: number | null;
  };
}

export interface JudgingFailed {
  type: 'JudgingFailed';
  data: { round: number; reason: string; failedAt: string };
}

export type SubmissionEvent =
  | SubmissionReceived
  | JudgingStarted
  | CompileFinished
  | RunFinished
  | SubmissionJudged
  | JudgingFailed
  | RejudgeRequested;

export type SubmissionEventType = SubmissionEvent['type'];

export const submissionStreamId = (submissionId: string): string => `submission-${submissionId}`;
