import type Docker from 'dockerode';
import type { NatsConnection } from '@nats-io/transport-node';
import { sql } from 'kysely';
import type { Db } from '../eventstore/index.js';

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** True when the check answers within two seconds: a readiness probe must never hang. */
const answers = (check: () => Promise<unknown>): Promise<boolean> => withTimeout(check(), 2000).then(() => true, () => false);

export const postgresAnswers = (db: Db) => answers(() => sql`SELECT 1`.execute(db));
export const natsAnswers = (nc: NatsConnection) =>
  answers(async () => {
    if (nc.isClosed()) throw new Error('closed');
    await nc.flush();
  });
export const dockerAnswers = (docker: Docker) => answers(() => docker.ping());
