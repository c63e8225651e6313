import { describe, expect, it } from 'vitest';
import {
  decide,
  fold,
  resolveLimits,
  runVerdict,
  sameTokens,
  type RunMeasurement,
  type SubmissionEvent,
  type SubmissionReceived,
} from '../../src/domain/index.js';

const received: SubmissionReceived = {
  type: 'SubmissionReceived',
  data: {
    submissionId: 's1',
    tenant: 'acme',
    language: 'python',
    source: 'print(1)',
    stdin: '',
    expectedOutput: '1\n',
    limits: resolveLimits({}),
    idempotencyKey: null,
    receivedAt: '2026-01-01T00:00:00.000Z',
  },
};

const cleanRun: RunMeasurement = {
  exitCode: 0,
  signal: null,
  stdout: '1\n',
  cpuTimeExceeded: false,
  wallTimeExceeded: false,
  memoryExceeded: false,
  outputExceeded: false,
};

const run = (index: number, verdict: 'ACCEPTED' | 'WRONG_ANSWER', round = 1) => ({
  type: 'RecordRun' as const,
  data: { round, index, verdict, timeMs: 10 + index, wallTimeMs: 20, memoryKb: 1000 * (index + 1), exitCode: 0, signal: null, stdout: 'out', stderr: '' },
});

/** Applies commands one after another, as a worker would, returning all events. */
function play(...commands: Parameters<typeof decide>[0][]): SubmissionEvent[] {
  const events: SubmissionEvent[] = [received];
  for (const c of commands) events.push(...decide(c, fold(events)));
  return events;
}

describe('submission decide/evolve', () => {
  it('folds a received submission into a QUEUED view at version 1, round 1', () => {
    const s = fold([received]);
    expect(s).toMatchObject({ id: 's1', status: 'QUEUED', version: 1, round: 1, verdict: null, tests: [] });
  });

  it('refuses a second Submit for an existing submission', () => {
    expect(() => decide({ type: 'Submit', data: received.data }, fold([received]))).toThrow(/already exists/);
  });

  it('walks QUEUED → COMPILING → RUNNING → JUDGED, with the largest time and memory', () => {
    const events = play(
      { type: 'StartJudging', data: { round: 1, worker: 'w', compiles: true, now: 't' } },
      { type: 'RecordCompile', data: { round: 1, success: true, output: '', timeMs: 5, now: 't' } },
      run(0, 'ACCEPTED'),
      run(1, 'ACCEPTED'),
      { type: 'FinishJudging', data: { round: 1, now: 'then' } },
    );
    expect(events.map((e) => e.type)).toEqual([
      'SubmissionReceived',
      'JudgingStarted',
      'CompileFinished',
      'RunFinished',
      'RunFinished',
      'SubmissionJudged',
    ]);
    const s = fold(events)!;
    expect(s).toMatchObject({ status: 'JUDGED', verdict: 'ACCEPTED', timeMs: 11, memoryKb: 2000, version: 6, judgedAt: 'then' });
    expect(s.compile).toEqual({ success: true, output: '', timeMs: 5 });
    expect(s.stdout).toBe('out');
  });

  it('shows COMPILING only for a language that compiles', () => {
    const start = (compiles: boolean) => ({ type: 'StartJudging' as const, data: { round: 1, worker: 'w', compiles, now: 't' } });
    expect(fold(play(start(true)))?.status).toBe('COMPILING');
    expect(fold(play(start(false)))?.status).toBe('RUNNING');
  });

  it('takes the verdict of the first test that is not accepted', () => {
    const s = fold(play(run(0, 'ACCEPTED'), run(1, 'WRONG_ANSWER'), { type: 'FinishJudging', data: { round: 1, now: 't' } }))!;
    expect(s.verdict).toBe('WRONG_ANSWER');
  });

  it('ends the round at a failed compile with COMPILATION_ERROR', () => {
    const s = fold(play({ type: 'RecordCompile', data: { round: 1, success: false, output: 'error: x', timeMs: 5, now: 't' } }))!;
    expect(s).toMatchObject({ status: 'JUDGED', verdict: 'COMPILATION_ERROR', compile: { success: false, output: 'error: x' } });
  });

  it('is idempotent: a redelivered job records nothing twice', () => {
    const start = { type: 'StartJudging' as const, data: { round: 1, worker: 'w', compiles: true, now: 't' } };
    const events = play(start, start, run(0, 'ACCEPTED'), run(0, 'ACCEPTED'), { type: 'FinishJudging', data: { round: 1, now: 't' } });
    expect(events.filter((e) => e.type === 'RunFinished')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'JudgingStarted')).toHaveLength(1);
    // Once judged, nothing further is recorded for the round.
    expect(decide(run(1, 'ACCEPTED'), fold(events))).toEqual([]);
    expect(decide({ type: 'FinishJudging', data: { round: 1, now: 't' } }, fold(events))).toEqual([]);
  });

  it('ignores commands for another round', () => {
    expect(decide(run(0, 'ACCEPTED', 2), fold([received]))).toEqual([]);
  });

  it('marks a judge failure FAILED with INTERNAL_ERROR', () => {
    const s = fold(play({ type: 'FailJudging', data: { round: 1, reason: 'docker gone', now: 't' } }))!;
    expect(s).toMatchObject({ status: 'FAILED', verdict: 'INTERNAL_ERROR' });
  });
});

describe('run verdicts', () => {
  it('accepts matching tokens and refuses different ones', () => {
    expect(runVerdict(cleanRun, '1')).toBe('ACCEPTED');
    expect(runVerdict({ ...cleanRun, stdout: '2\n' }, '1')).toBe('WRONG_ANSWER');
  });

  it('accepts any clean exit when there is no expected output', () => {
    expect(runVerdict({ ...cleanRun, stdout: 'whatever' }, null)).toBe('ACCEPTED');
    expect(runVerdict({ ...cleanRun, exitCode: 1 }, null)).toBe('RUNTIME_ERROR');
  });

  it('follows the precedence TLE > MLE > OLE > RE > WA', () => {
    const bad = { ...cleanRun, stdout: 'x', signal: 9, exitCode: null };
    expect(runVerdict({ ...bad, outputExceeded: true, memoryExceeded: true, wallTimeExceeded: true }, '1')).toBe('TIME_LIMIT_EXCEEDED');
    expect(runVerdict({ ...bad, outputExceeded: true, memoryExceeded: true }, '1')).toBe('MEMORY_LIMIT_EXCEEDED');
    expect(runVerdict({ ...bad, outputExceeded: true }, '1')).toBe('OUTPUT_LIMIT_EXCEEDED');
    expect(runVerdict(bad, '1')).toBe('RUNTIME_ERROR');
  });

  it('compares white space loosely', () => {
    expect(sameTokens('1  2\n3\n\n', ' 1 2 3')).toBe(true);
    expect(sameTokens('1 2', '1 2 3')).toBe(false);
    expect(sameTokens('', '\n')).toBe(true);
  });
});

describe('limits', () => {
  it('fills defaults, deriving wall time from CPU time', () => {
    expect(resolveLimits({ timeMs: 1000 })).toEqual({ timeMs: 1000, wallTimeMs: 3000, memoryKb: 262144, outputKb: 8192, processes: 64 });
  });

  it('refuses a limit outside its range, naming it', () => {
    expect(() => resolveLimits({ timeMs: 60_000 })).toThrow(/limits.timeMs must be between 100 and 15000/);
    expect(() => resolveLimits({ memoryKb: 1 })).toThrow(/limits.memoryKb/);
    expect(() => resolveLimits({ processes: 1.5 })).toThrow(/limits.processes/);
  });
});
