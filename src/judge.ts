import Docker from 'dockerode';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startApi } from './api/index.js';
import { busNames, connectBus, type BusNames } from './bus/index.js';
import type { Config } from './config/index.js';
import { AppendWaker, connect, countAfter, loadCheckpoint, migrateToLatest, type Db } from './eventstore/index.js';
import type { Logger } from './log/index.js';
import { createMetrics, type Metrics } from './metrics/index.js';
import { dockerAnswers, natsAnswers, postgresAnswers, startOpsServer, type Ops } from './ops/index.js';
import { PROJECTION_CHECKPOINT, runProjector } from './projections/index.js';
import { RELAY_CHECKPOINT, runRelay } from './relay/index.js';
import { runWorker } from '../workers/index.js';

export interface RunningJudge {
  /** the HTTP port: the api's, or the operations endpoints' when the api role does not run */
  port: number | null;
  metrics: Metrics;
  stop(): Promise<void>;
}

function dockerClient(dockerHost: string | undefined): Docker {
  if (!dockerHost) return new Docker();
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname });
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: url.protocol === 'https:' ? 'https' : 'http' });
}

/** Events after a tailer's checkpoint (counted up to 100,000; a lag past that reads as 100,000). */
async function lag(db: Db, checkpoint: string): Promise<number> {
  return countAfter(db, await loadCheckpoint(db, checkpoint), 100_000);
}

function operations(config: Config, db: Db, nc: NatsConnection, names: BusNames, docker: Docker | null, metrics: Metrics): Ops {
  return {
    metrics,
    readiness: async () => ({
      postgres: await postgresAnswers(db),
      nats: await natsAnswers(nc),
      ...(docker ? { docker: await dockerAnswers(docker) } : {}),
    }),
    beforeScrape: async () => {
      const jsm = await jetstreamManager(nc);
      const consumer = await jsm.consumers.info(names.jobsStream, names.workersConsumer).catch(() => null);
      if (consumer) metrics.queueDepth.set(consumer.num_pending + consumer.num_ack_pending);
      metrics.relayLag.set(await lag(db, RELAY_CHECKPOINT(names)));
      metrics.projectorLag.set(await lag(db, PROJECTION_CHECKPOINT));
    },
  };
}

/**
 * Starts the roles the configuration names, in one process. Each role runs until stop(): the
 * api stops taking requests first, then the loops finish their current batch or judging.
 */
export async function startJudge(
  config: Config,
  adminToken: string,
  log: Logger,
  onFatal: (err: unknown) => void = () => process.exit(1),
): Promise<RunningJudge> {
  const db: Db = connect(config.databaseUrl);
  await migrateToLatest(db);
  const nc: NatsConnection = await connectBus(config.natsUrl, `judge:${[...config.roles].join('+')}`);
  const names = busNames(config.namespace);
  const waker = new AppendWaker(config.databaseUrl);
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  const docker = config.roles.has('worker') ? dockerClient(config.dockerHost) : null;
  const metrics = createMetrics();
  const ops = operations(config, db, nc, names, docker, metrics);

  // A role that stops on an error leaves a process that looks alive but does not work: let the
  // supervisor (systemd, compose, the operator) restart it instead.
  const keep = (role: string, run: Promise<void>): void => {
    loops.push(
      run.catch((err: unknown) => {
        log.fatal({ role, err }, 'role stopped with an error; exiting');
        onFatal(err);
      }),
    );
  };
  const tailer = { db, databaseUrl: config.databaseUrl, waker, nc, names, log };
  if (config.roles.has('relay')) keep('relay', runRelay({ ...tailer, onPublished: (n) => metrics.eventsPublished.inc(n) }, stopping.signal));
  if (config.roles.has('projector')) keep('projector', runProjector({ ...tailer, onProjected: (n) => metrics.eventsProjected.inc(n) }, stopping.signal));
  if (docker) {
    const worker = { db, nc, names, docker, log, slots: config.workerSlots, maxDeliver: config.jobMaxDeliver, ackWaitMs: config.jobAckWaitMs, metrics };
    keep('worker', runWorker(worker, stopping.signal));
  }

  const server = config.roles.has('api')
    ? await startApi({ db, databaseUrl: config.databaseUrl, abuseLimits: config.limits, nc, names, adminToken, log, ops }, config.port)
    : await startOpsServer(ops, config.port);

  return {
    port: server.port,
    metrics,
    stop: async () => {
      await server.close();
      stopping.abort();
      await Promise.allSettled(loops);
      await waker.close();
      await nc.drain().catch(() => {});
      await db.destroy();
    },
  };
}
