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
  };
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
    verdict: Verdict;
    timeMs: number;
    wallTimeMs: number;
    memoryKb: number;
    exitCode: number | null;
    signal: number | null;
    /** ad-hoc runs keep the program's output (truncated at the output limit) */
    stdout: string | null;
    stderr: string | null;
  };
}

export interface SubmissionJudged {
  type: 'SubmissionJudged';
  data: { round: number; verdict: Verdict; timeMs: number | null; memoryKb: number | null; judgedAt: string };
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
  | JudgingFailed;

export type SubmissionEventType = SubmissionEvent['type'];

export const submissionStreamId = (submissionId: string): string => `submission-${submissionId}`;
