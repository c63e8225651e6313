import {
  compareOutput,
  executionVerdict,
  runVerdict,
  score,
  shouldSkip,
  testOrder,
  type RunFinished,
  type SubmissionCommand,
  type SubmissionState,
  type Verdict,
} from '../src/domain/index.js';
import type { Db } from '../src/eventstore/index.js';
import { findLanguage } from '../src/languages/index.js';
import type { Logger } from '../src/log/index.js';
import type { Metrics } from '../src/metrics/index.js';
import type { RunOutcome, Sandbox, SandboxPool } from '../src/sandbox/index.js';
import type { CheckerCache } from './checker.js';
import type { ProblemDataCache } from './problem-data.js';
import { handleSubmissionCommand, loadSubmission } from './submission-commands.js';

export interface JudgeContext {
  db: Db;
  pool: SandboxPool;
  checkers: CheckerCache;
  problems: ProblemDataCache;
  workerId: string;
  log: Logger;
  metrics?: Metrics;
}

// Postgres jsonb cannot hold NUL; a program may print anything.
const storable = (text: string): string => text.replace(/\u0000/g, '\uFFFD');
const now = (): string => new Date().toISOString();

export type JudgeOutcome = 'judged' | 'already-done' | 'unknown-submission';

class RoundSuperseded extends Error {}

const measured = (run: RunOutcome) => ({
  timeMs: run.timeMs,
  wallTimeMs: run.wallTimeMs,
  memoryKb: run.memoryKb,
  exitCode: run.exitCode,
  signal: run.signal,
});

/**
 * Judges one round of one submission: compile once, run each test in the same container, record
 * each result as it is known. Safe to call again for the same round (redelivery): recorded work
 * is not redone, and every test is recorded once.
 */
export async function judgeSubmission(ctx: JudgeContext, submissionId: string, round: number): Promise<JudgeOutcome> {
  try {
    return await judgeRound(ctx, submissionId, round);
  } catch (e) {
    if (e instanceof RoundSuperseded) return 'already-done';
    throw e;
  }
}

async function judgeRound(ctx: JudgeContext, submissionId: string, round: number): Promise<JudgeOutcome> {
  let state = await loadSubmission(ctx.db, submissionId);
  if (state === null) return 'unknown-submission';
  if (state.round !== round || state.status === 'JUDGED' || state.status === 'FAILED') return 'already-done';
  const log = ctx.log.child({ submissionId, round });
  const language = findLanguage(state.language);
  if (!language) throw new Error(`language ${state.language} is not in this worker's registry`);
  // Load what the judging needs before announcing it started.
  const problemData = state.problemId !== null ? await ctx.problems.get(ctx.db, state.problemId, state.problemVersion ?? 1) : null;
  const custom = problemData?.problem.checker.custom ?? null;
  const checker = custom
    ? await ctx.checkers.get(`${state.problemId}:${state.problemVersion}`, custom, problemData!.checkerSource!, problemData!.checkerFiles)
    : null;

  let current: SubmissionState = state;
  const apply = async (command: SubmissionCommand | SubmissionCommand[]): Promise<SubmissionState> => {
    const next = await handleSubmissionCommand(ctx.db, submissionId, command, current, ctx.metrics);
    if (next === null) throw new Error('submission vanished');
    // A rejudge opened a newer round meanwhile: this round's work is moot; its job will come.
    if (next.round !== round) throw new RoundSuperseded();
    current = next;
    return next;
  };
  const recordRun = (data: Omit<RunFinished['data'], 'round'>): SubmissionCommand => ({ type: 'RecordRun', data: { round, ...data } });
  const record = (data: Omit<RunFinished['data'], 'round'>) => apply(recordRun(data));

  await apply({ type: 'StartJudging', data: { round, worker: ctx.workerId, compiles: language.compile !== undefined, now: now() } });
  const sandbox: Sandbox = await ctx.pool.acquire({ language, source: current.request.source, limits: current.request.limits });
  log.debug({ container: sandbox.id }, 'sandbox acquired');
  try {
    const compiled = await sandbox.compile();
    if (compiled) {
      ctx.metrics?.compileDuration.observe({ language: language.id }, compiled.timeMs / 1000);
      await apply({ type: 'RecordCompile', data: { round, ...compiled, output: storable(compiled.output), now: now() } });
      // An earlier delivery may have recorded a successful compile that failed this time (a
      // time-out under load): the round must not end without a verdict; try again.
      if (!compiled.success && current.compile?.success) throw new Error('the compile that succeeded before failed this time');
      if (!compiled.success) {
        log.info({ verdict: current.verdict }, 'compilation failed');
        ctx.metrics?.submissionsJudged.inc({ language: language.id, verdict: 'COMPILATION_ERROR' });
        return 'judged';
      }
    }
    const limits = current.request.limits;
    if (problemData === null) {
      const run = await sandbox.run(current.request.stdin, limits);
      ctx.metrics?.runDuration.observe({ language: language.id }, run.wallTimeMs / 1000);
      // The run and the verdict in one append: one hop less before subscribers see the result.
      await apply([
        recordRun({
          index: 0,
          verdict: runVerdict(run, current.request.expectedOutput),
          ...measured(run),
          stdout: storable(run.stdout),
          stderr: storable(run.stderr),
        }),
        { type: 'FinishJudging', data: { round, now: now() } },
      ]);
    } else {
      const { problem, inputs, answers } = problemData;
      for (const index of testOrder(problem)) {
        if (current.tests.some((t) => t.index === index)) continue; // recorded by an earlier delivery
        const group = problem.tests[index]!.group;
        if (shouldSkip(problem, index, current.tests)) {
          await record({ index, group, verdict: 'SKIPPED', timeMs: 0, wallTimeMs: 0, memoryKb: 0, exitCode: null, signal: null, stdout: null, stderr: null });
          continue;
        }
        const run = await sandbox.run(inputs[index]!, limits);
        ctx.metrics?.runDuration.observe({ language: language.id }, run.wallTimeMs / 1000);
        const failed = executionVerdict(run);
        let verdict: Verdict;
        let checkerMessage: string | null = null;
        if (failed) verdict = failed;
        else if (checker) ({ verdict, message: checkerMessage } = await checker.check(inputs[index]!, answers[index]!, run.stdout));
        else verdict = compareOutput(run.stdout, answers[index]!, problem.checker) ? 'ACCEPTED' : 'WRONG_ANSWER';
        await record({ index, group, verdict, ...measured(run), stdout: null, stderr: null, checkerMessage: checkerMessage && storable(checkerMessage) });
      }
      await apply({ type: 'FinishJudging', data: { round, now: now(), score: score(problem, current.tests) } });
    }
    log.info({ verdict: current.verdict, score: current.score, timeMs: current.timeMs }, 'judged');
    ctx.metrics?.submissionsJudged.inc({ language: language.id, verdict: current.verdict ?? 'none' });
    return 'judged';
  } finally {
    await sandbox.close().catch((err: unknown) => log.warn({ err }, 'sandbox close failed'));
  }
}

/** Records that the judge itself gave up on a round (after its retries). */
export async function failSubmission(ctx: JudgeContext, submissionId: string, round: number, reason: string): Promise<void> {
  const state = await loadSubmission(ctx.db, submissionId);
  await handleSubmissionCommand(ctx.db, submissionId, { type: 'FailJudging', data: { round, reason, now: now() } }, state);
}
