import { hostname } from 'node:os';
import type Docker from 'dockerode';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import { decodeJson, ensureStreams, ensureWorkerConsumer, type BusNames, type JudgeJob } from '../src/bus/index.js';
import type { Db } from '../src/eventstore/index.js';
import { LANGUAGES } from '../src/languages/index.js';
import type { Logger } from '../src/log/index.js';
import type { Metrics } from '../src/metrics/index.js';
import { createSandboxPool, listRuntimes, removeLeftoverSandboxes } from '../src/sandbox/index.js';
import { CheckerCache } from './checker.js';
import { ProblemDataCache } from './problem-data.js';
import { failSubmission, judgeSubmission, type JudgeContext } from './judge-job.js';

export interface WorkerDeps {
  db: Db;
  nc: NatsConnection;
  names: BusNames;
  docker: Docker;
  log: Logger;
  slots: number;
  /** warm containers per runtime (default: the slots) */
  poolSize?: number;
  maxDeliver?: number;
  ackWaitMs?: number;
  metrics?: Metrics;
}


/** Tells the api which languages this worker can run: those whose runtime image is present. */
export async function registerLanguages(db: Db, docker: Docker): Promise<string[]> {
  const runtimes = await listRuntimes(docker);
  const rows = LANGUAGES.flatMap((language) => {
    const image = runtimes.find((r) => r.runtime === language.runtime);
    if (!image) return [];
    return [
      {
        id: language.id,
        name: language.name,
        version: image.labels[language.versionLabel] ?? 'unknown',
        compiled: language.compile !== undefined,
        source_file_name: language.sourceFileName,
      },
    ];
  });
  for (const row of rows) {
    await db
      .insertInto('languages')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, seen_at: new Date() }))
      .execute();
  }
  return rows.map((r) => r.id);
}

async function handle(ctx: JudgeContext, msg: JsMsg, maxDeliver: number, ackWaitMs: number): Promise<void> {
  let job: JudgeJob;
  try {
    job = decodeJson<JudgeJob>(msg.data);
  } catch {
    ctx.log.error({ seq: msg.seq }, 'malformed job; dropped');
    msg.term('malformed job');
    return;
  }
  // Long compiles and runs would outlive the ack wait; tell JetStream we are still at it.
  const heartbeat = setInterval(() => msg.working(), Math.max(500, ackWaitMs / 3));
  try {
    const outcome = await judgeSubmission(ctx, job.submissionId, job.round);
    msg.ack();
    if (outcome !== 'judged') ctx.log.info({ submissionId: job.submissionId, round: job.round, outcome }, 'job acked without running');
  } catch (err) {
    const attempt = msg.info.deliveryCount;
    ctx.log.error({ submissionId: job.submissionId, round: job.round, attempt, err }, 'judging failed');
    if (attempt >= maxDeliver) {
      try {
        await failSubmission(ctx, job.submissionId, job.round, err instanceof Error ? err.message : String(err));
        msg.term('judging failed after retries');
      } catch (appendErr) {
        // Postgres is away: keep the job (deliveries are unlimited) and try again later.
        ctx.log.error({ submissionId: job.submissionId, err: appendErr }, 'could not record the failure');
        msg.nak(Math.min(30_000, 1_000 * attempt));
      }
    } else {
      msg.nak(Math.min(30_000, 1_000 * attempt));
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Pulls jobs one free slot at a time (no prefetch: a job waiting in a busy worker's buffer would
 * be a job another worker could have run) and judges them until `signal` aborts; then it lets
 * running judgings finish.
 */
export async function runWorker(deps: WorkerDeps, signal: AbortSignal): Promise<void> {
  const maxDeliver = deps.maxDeliver ?? 3;
  const ackWaitMs = deps.ackWaitMs ?? 30_000;
  const removed = await removeLeftoverSandboxes(deps.docker, deps.names.namespace);
  const pool = createSandboxPool({
    docker: deps.docker,
    namespace: deps.names.namespace,
    size: deps.poolSize ?? deps.slots,
    onError: (err) => deps.log.warn({ role: 'worker', err }, 'sandbox pool refill failed'),
  });
  const ctx: JudgeContext = {
    db: deps.db,
    pool,
    checkers: new CheckerCache(pool),
    problems: new ProblemDataCache(),
    workerId: `${hostname()}:${process.pid}`,
    log: deps.log.child({ role: 'worker' }),
    metrics: deps.metrics,
  };
  deps.metrics?.workerSlots.set({ state: 'total' }, deps.slots);
  if (removed > 0) ctx.log.info({ removed }, 'removed leftover sandboxes');
  const languages = await registerLanguages(deps.db, deps.docker);
  ctx.log.info({ languages, slots: deps.slots }, 'worker ready');
  await ensureStreams(deps.nc, deps.names);
  await ensureWorkerConsumer(deps.nc, deps.names, {
    maxAckPending: Math.max(1000, deps.slots),
    ackWaitMs,
  });
  const consumer = await jetstream(deps.nc).consumers.get(deps.names.jobsStream, deps.names.workersConsumer);
  const running = new Set<Promise<void>>();
  while (!signal.aborted) {
    if (running.size >= deps.slots) {
      await Promise.race(running);
      continue;
    }
    let msg: JsMsg | null = null;
    try {
      msg = await consumer.next({ expires: 2_000 });
    } catch (err) {
      ctx.log.warn({ err }, 'pulling a job failed; retrying');
      await new Promise((r) => setTimeout(r, 1_000));
      continue;
    }
    if (!msg) continue;
    if (signal.aborted) {
      msg.nak(); // hand it back: we are shutting down
      break;
    }
    const task = handle(ctx, msg, maxDeliver, ackWaitMs).finally(() => {
      running.delete(task);
      deps.metrics?.workerSlots.set({ state: 'busy' }, running.size);
    });
    running.add(task);
    deps.metrics?.workerSlots.set({ state: 'busy' }, running.size);
  }
  await Promise.allSettled(running);
  await ctx.checkers.close();
  await pool.close();
}
