import type Docker from 'dockerode';
import { runVerdict, type SubmissionState } from '../src/domain/index.js';
import type { Db } from '../src/eventstore/index.js';
import { findLanguage } from '../src/languages/index.js';
import type { Logger } from '../src/log/index.js';
import { openSandbox } from '../src/sandbox/index.js';
import { handleSubmissionCommand, loadSubmission } from './submission-commands.js';

export interface JudgeContext {
  db: Db;
  docker: Docker;
  namespace: string;
  workerId: string;
  log: Logger;
}

// Postgres jsonb cannot hold NUL; a program may print anything.
const storable = (text: string): string => text.replace(/\u0000/g, '\uFFFD');
const now = (): string => new Date().toISOString();

export type JudgeOutcome = 'judged' | 'already-done' | 'unknown-submission';

/**
 * Judges one round of one submission: compile once, run, record each result as it is known.
 * Safe to call again for the same round (redelivery): recorded work is not redone.
 */
export async function judgeSubmission(ctx: JudgeContext, submissionId: string, round: number): Promise<JudgeOutcome> {
  let state = await loadSubmission(ctx.db, submissionId);
  if (state === null) return 'unknown-submission';
  if (state.round !== round || state.status === 'JUDGED' || state.status === 'FAILED') return 'already-done';
  const log = ctx.log.child({ submissionId, round });
  const language = findLanguage(state.language);
  if (!language) throw new Error(`language ${state.language} is not in this worker's registry`);

  const apply = async (command: Parameters<typeof handleSubmissionCommand>[2]): Promise<SubmissionState> => {
    const next = await handleSubmissionCommand(ctx.db, submissionId, command, state);
    if (next === null) throw new Error('submission vanished');
    state = next;
    return next;
  };

  let current = await apply({ type: 'StartJudging', data: { round, worker: ctx.workerId, compiles: language.compile !== undefined, now: now() } });
  const { limits, source, stdin, expectedOutput } = current.request;
  const sandbox = await openSandbox({
    docker: ctx.docker,
    namespace: ctx.namespace,
    language,
    source,
    limits,
    labels: { 'judge.submission': submissionId, 'judge.round': String(round) },
  });
  try {
    const compiled = await sandbox.compile();
    if (compiled) {
      current = await apply({ type: 'RecordCompile', data: { round, ...compiled, output: storable(compiled.output), now: now() } });
      if (!compiled.success) {
        log.info({ verdict: current.verdict }, 'compilation failed');
        return 'judged';
      }
    }
    const run = await sandbox.run(stdin, limits);
    current = await apply({
      type: 'RecordRun',
      data: {
        round,
        index: 0,
        verdict: runVerdict(run, expectedOutput),
        timeMs: run.timeMs,
        wallTimeMs: run.wallTimeMs,
        memoryKb: run.memoryKb,
        exitCode: run.exitCode,
        signal: run.signal,
        stdout: storable(run.stdout),
        stderr: storable(run.stderr),
      },
    });
    current = await apply({ type: 'FinishJudging', data: { round, now: now() } });
    log.info({ verdict: current.verdict, timeMs: current.timeMs }, 'judged');
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
