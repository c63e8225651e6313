import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { readAll, type Cursor, type Db } from '../eventstore/index.js';
import { projectBatch } from './projector.js';

const READ_MODEL_TABLES = ['submissions', 'problems', 'api_keys', 'checkpoints'] as const;

export interface Scratch {
  schema: string;
  /** the same database, with the read model tables resolved in the scratch schema */
  db: Db;
  drop(): Promise<void>;
}

/** Empty copies of the read model tables in a schema of their own, for a replay. */
export async function createScratch(db: Db): Promise<Scratch> {
  const schema = `scratch_${randomBytes(4).toString('hex')}`;
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db);
  for (const table of READ_MODEL_TABLES) {
    await sql`CREATE TABLE ${sql.id(schema, table)} (LIKE ${sql.id('public', table)} INCLUDING ALL)`.execute(db);
  }
  return {
    schema,
    db: db.withSchema(schema),
    drop: async () => void (await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db)),
  };
}

const after = (a: Cursor, b: Cursor): boolean => {
  const [at, ap, bt, bp] = [BigInt(a.transactionId), BigInt(a.position), BigInt(b.transactionId), BigInt(b.position)];
  return at > bt || (at === bt && ap > bp);
};

/**
 * Replays the log into the scratch read models with the projector's own fold, from where the
 * scratch checkpoint stands up to `until` (inclusive) or everything visible now.
 */
export async function replayInto(
  db: Db,
  scratch: Scratch,
  from: Cursor,
  options: { until?: Cursor; batchSize?: number; onProgress?: (events: number) => void } = {},
): Promise<{ cursor: Cursor; events: number }> {
  let cursor = from;
  let count = 0;
  for (;;) {
    const batch = await readAll(db, cursor, options.batchSize ?? 1000);
    const events = options.until ? batch.events.filter((e) => !after({ transactionId: e.transactionId, position: e.position }, options.until!)) : batch.events;
    if (events.length === 0) return { cursor, events: count };
    const last = events.at(-1)!;
    cursor = { transactionId: last.transactionId, position: last.position };
    await projectBatch(scratch.db, events, cursor);
    count += events.length;
    options.onProgress?.(count);
    if (events.length < batch.events.length) return { cursor, events: count };
  }
}
