import type {
  CompileFinished,
  RunFinished,
  SubmissionEvent,
  SubmissionReceived,
  Verdict,
} from './events.js';

// A submission's life, as pure functions: `evolve` folds its events into state (the projector,
// the api's read-your-writes answer and time travel all use it), `decide` turns a command into
// the events to append. Neither does I/O.

export type SubmissionStatus = 'QUEUED' | 'COMPILING' | 'RUNNING' | 'JUDGED' | 'FAILED';

export type TestResult = Omit<RunFinished['data'], 'round' | 'stdout' | 'stderr' | 'group' | 'checkerMessage'> & {
  group: string | null;
  checkerMessage: string | null;
};

export interface SubmissionState {
  id: string;
  tenant: string;
  language: string;
  problemId: string | null;
  problemVersion: number | null;
  request: Pick<SubmissionReceived['data'], 'source' | 'stdin' | 'expectedOutput' | 'limits' | 'idempotencyKey'>;
  status: SubmissionStatus;
  verdict: Verdict | null;
  round: number;
  /** the stream version folded in */
  version: number;
  compile: Omit<CompileFinished['data'], 'round'> | null;
  tests: TestResult[];
  stdout: string | null;
  stderr: string | null;
  timeMs: number | null;
  memoryKb: number | null;
  /** points earned (null until judged, and for ad-hoc runs) and available */
  score: number | null;
  maxScore: number | null;
  createdAt: string;
  judgedAt: string | null;
}

export type Submission = SubmissionState | null;

/** What the read model keeps and the API shows: everything but the request (source, stdin). */
export type SubmissionView = Omit<SubmissionState, 'request'>;

/** What a judging round starts from: queued, nothing known yet. */
const FRESH_ROUND = {
  status: 'QUEUED',
  verdict: null,
  compile: null,
  tests: [],
  stdout: null,
  stderr: null,
  timeMs: null,
  memoryKb: null,
  score: null,
  judgedAt: null,
} as const satisfies Partial<SubmissionState>;

export function evolve(state: Submission, event: SubmissionEvent): Submission {
  if (event.type === 'SubmissionReceived') {
    const d = event.data;
    return {
      id: d.submissionId,
      tenant: d.tenant,
      language: d.language,
      problemId: d.problemId ?? null,
      problemVersion: d.problemVersion ?? null,
      request: {
        source: d.source,
        stdin: d.stdin,
        expectedOutput: d.expectedOutput,
        limits: d.limits,
        idempotencyKey: d.idempotencyKey,
      },
      ...FRESH_ROUND,
      round: 1,
      version: 1,
      maxScore: d.maxScore ?? null,
      createdAt: d.receivedAt,
    };
  }
  if (state === null) return null; // a judging event without a submission: nothing to fold into
  const next = { ...state, version: state.version + 1 };
  // A rejudge opens a new round: the view starts over, the stream keeps the old rounds.
  if (event.type === 'RejudgeRequested') return { ...next, ...FRESH_ROUND, round: event.data.round };
  // Events of another round are history: they count for the version, not for the view.
  if (event.data.round !== state.round) return next;
  switch (event.type) {
    case 'JudgingStarted':
      if (next.status !== 'QUEUED') return next;
      return { ...next, status: event.data.compiles === false ? 'RUNNING' : 'COMPILING' };
    case 'CompileFinished': {
      const { round: _round, ...compile } = event.data;
      return { ...next, compile, status: 'RUNNING' };
    }
    case 'RunFinished': {
      const { round: _round, stdout, stderr, group, checkerMessage, ...run } = event.data;
      const test: TestResult = { ...run, group: group ?? null, checkerMessage: checkerMessage ?? null };
      const tests = [...next.tests.filter((t) => t.index !== test.index), test].sort((a, b) => a.index - b.index);
      return {
        ...next,
        status: 'RUNNING',
        tests,
        stdout: stdout ?? next.stdout,
        stderr: stderr ?? next.stderr,
      };
    }
    case 'SubmissionJudged':
      return {
        ...next,
        status: 'JUDGED',
        verdict: event.data.verdict,
        timeMs: event.data.timeMs,
        memoryKb: event.data.memoryKb,
        score: event.data.score ?? null,
        judgedAt: event.data.judgedAt,
      };
    case 'JudgingFailed':
      return { ...next, status: 'FAILED', verdict: 'INTERNAL_ERROR', judgedAt: event.data.failedAt };
  }
}

export function fold(events: readonly SubmissionEvent[], from: Submission = null): Submission {
  return events.reduce<Submission>(evolve, from);
}

// ---- commands ----------------------------------------------------------------------------

export type SubmissionCommand =
  | { type: 'Submit'; data: SubmissionReceived['data'] }
  | { type: 'StartJudging'; data: { round: number; worker: string; compiles: boolean; now: string } }
  | { type: 'RecordCompile'; data: { round: number; success: boolean; output: string; timeMs: number; now: string } }
  | { type: 'RecordRun'; data: RunFinished['data'] }
  | { type: 'FinishJudging'; data: { round: number; now: string; /** for problems: earned points */ score?: number | null } }
  | { type: 'FailJudging'; data: { round: number; reason: string; now: string } }
  | { type: 'RequestRejudge'; data: { reason: string | null; now: string } };

export class SubmissionRuleError extends Error {
  constructor(
    readonly code: 'ALREADY_EXISTS' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'SubmissionRuleError';
  }
}

const isFinal = (s: SubmissionState): boolean => s.status === 'JUDGED' || s.status === 'FAILED';

/**
 * Commands of judging are idempotent: a worker that redoes work already in the stream (a
 * redelivered job, a second worker racing the first) gets no events back, so every test is
 * recorded once per round and the round is judged once.
 */
export function decide(command: SubmissionCommand, state: Submission): SubmissionEvent[] {
  if (command.type === 'Submit') {
    if (state !== null) throw new SubmissionRuleError('ALREADY_EXISTS', `submission ${state.id} already exists`);
    return [{ type: 'SubmissionReceived', data: command.data }];
  }
  if (state === null) throw new SubmissionRuleError('NOT_FOUND', 'no such submission');
  if (command.type === 'RequestRejudge') {
    return [{ type: 'RejudgeRequested', data: { round: state.round + 1, requestedAt: command.data.now, reason: command.data.reason, language: state.language } }];
  }
  const { round } = command.data;
  if (round !== state.round || isFinal(state)) return [];
  switch (command.type) {
    case 'StartJudging':
      return state.status === 'QUEUED'
        ? [{ type: 'JudgingStarted', data: { round, worker: command.data.worker, compiles: command.data.compiles, startedAt: command.data.now } }]
        : [];
    case 'RecordCompile': {
      if (state.compile !== null) return [];
      const { now, ...compile } = command.data;
      const events: SubmissionEvent[] = [{ type: 'CompileFinished', data: compile }];
      if (!compile.success) {
        events.push({
          type: 'SubmissionJudged',
          data: { round, verdict: 'COMPILATION_ERROR', timeMs: null, memoryKb: null, judgedAt: now, score: state.maxScore === null ? null : 0 },
        });
      }
      return events;
    }
    case 'RecordRun':
      return state.tests.some((t) => t.index === command.data.index) ? [] : [{ type: 'RunFinished', data: command.data }];
    case 'FinishJudging': {
      const verdicts = state.tests.map((t) => t.verdict);
      const verdict = verdicts.length === 0 ? 'INTERNAL_ERROR' : overallVerdict(verdicts);
      const max = (pick: (t: TestResult) => number): number | null =>
        state.tests.length === 0 ? null : Math.max(...state.tests.map(pick));
      return [
        {
          type: 'SubmissionJudged',
          data: {
            round,
            verdict,
            timeMs: max((t) => t.timeMs),
            memoryKb: max((t) => t.memoryKb),
            judgedAt: command.data.now,
            score: command.data.score ?? null,
          },
        },
      ];
    }
    case 'FailJudging':
      return [{ type: 'JudgingFailed', data: { round, reason: command.data.reason, failedAt: command.data.now } }];
  }
}

/**
 * ACCEPTED if every test is; otherwise the verdict of the first test (in test order) that was
 * run and not accepted. Skipped tests follow from a failure, so they never decide it.
 */
export function overallVerdict(verdictsInTestOrder: readonly Verdict[]): Verdict {
  return verdictsInTestOrder.find((v) => v !== 'ACCEPTED' && v !== 'SKIPPED') ?? 'ACCEPTED';
}
