import Docker from 'dockerode';
import type { NatsConnection } from '@nats-io/transport-node';
import { startApi, type RunningApi } from './api/index.js';
import { busNames, connectBus } from './bus/index.js';
import type { Config } from './config/index.js';
import { AppendWaker, connect, migrateToLatest, type Db } from './eventstore/index.js';
import type { Logger } from './log/index.js';
import { runProjector } from './projections/index.js';
import { runRelay } from './relay/index.js';
import { runWorker } from '../workers/index.js';

export interface RunningJudge {
  /** the api's port, when the api role runs */
  port: number | null;
  stop(): Promise<void>;
}

function dockerClient(dockerHost: string | undefined): Docker {
  if (!dockerHost) return new Docker();
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname });
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: url.protocol === 'https:' ? 'https' : 'http' });
}

/**
 * Starts the roles the configuration names, in one process. Each role runs until stop(): the
 * api stops taking requests first, then the loops finish their current batch or judging.
 */
export async function startJudge(config: Config, adminToken: string, log: Logger): Promise<RunningJudge> {
  const db: Db = connect(config.databaseUrl);
  await migrateToLatest(db);
  const nc: NatsConnection = await connectBus(config.natsUrl, `judge:${[...config.roles].join('+')}`);
  const names = busNames(config.namespace);
  const waker = new AppendWaker(config.databaseUrl);
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  const docker = config.roles.has('worker') ? dockerClient(config.dockerHost) : null;

  const keep = (role: string, run: Promise<void>): void => {
    loops.push(
      run.catch((err: unknown) => {
        log.fatal({ role, err }, 'role stopped with an error');
        process.exitCode = 1;
      }),
    );
  };
  if (config.roles.has('relay')) keep('relay', runRelay({ db, databaseUrl: config.databaseUrl, waker, nc, names, log }, stopping.signal));
  if (config.roles.has('projector')) {
    keep('projector', runProjector({ db, databaseUrl: config.databaseUrl, waker, nc, names, log }, stopping.signal));
  }
  if (docker) keep('worker', runWorker({ db, nc, names, docker, log, slots: config.workerSlots }, stopping.signal));

  let api: RunningApi | null = null;
  if (config.roles.has('api')) {
    api = await startApi(
      {
        db,
        databaseUrl: config.databaseUrl,
        abuseLimits: config.limits,
        nc,
        names,
        adminToken,
        log,
        extraReadiness: docker
          ? async () => ({
              docker: await docker.ping().then(
                () => true,
                () => false,
              ),
            })
          : undefined,
      },
      config.port,
    );
  }

  return {
    port: api?.port ?? null,
    stop: async () => {
      await api?.close();
      stopping.abort();
      await Promise.allSettled(loops);
      await waker.close();
      await nc.drain().catch(() => {});
      await db.destroy();
    },
  };
}
