import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppendWaker,
  ConcurrencyError,
  START,
  appendToStream,
  chainHash,
  readAll,
  readStream,
  type RecordedEvent,
} from '../../src/eventstore/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const ev = (type: string, data: unknown = {}) => ({ type, data });

describe('append and read a stream', () => {
  it('appends at the expected version and reads back in order with a hash chain', async () => {
    const first = await appendToStream(t.db, 's-1', 'no_stream', [ev('A', { n: 1 }), ev('B', { n: 2 })]);
    const more = await appendToStream(t.db, 's-1', 2, [ev('C', { n: 3 })]);
    expect(first.map((e) => e.version)).toEqual([1, 2]);
    expect(more[0]?.version).toBe(3);
    const read = await readStream(t.db, 's-1');
    expect(read.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    expect(read[0]?.data).toEqual({ n: 1 });
    expect(read[0]?.hash).toBe(chainHash(null, { type: 'A', version: 1, data: { n: 1 } }));
    expect(read[2]?.hash).toBe(chainHash(read[1]!.hash, { type: 'C', version: 3, data: { n: 3 } }));
    expect(await readStream(t.db, 's-1', { toVersion: 2 })).toHaveLength(2);
  });

  it('reports a wrong expected version as a ConcurrencyError and appends nothing', async () => {
    await appendToStream(t.db, 's-2', 'no_stream', [ev('A')]);
    await expect(appendToStream(t.db, 's-2', 'no_stream', [ev('X')])).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(appendToStream(t.db, 's-2', 5, [ev('X')])).rejects.toMatchObject({ name: 'ConcurrencyError', actual: 1 });
    const appended = await appendToStream(t.db, 's-2', 'any', [ev('B')]);
    expect(appended[0]?.version).toBe(2);
    expect((await readStream(t.db, 's-2')).map((e) => e.type)).toEqual(['A', 'B']);
  });

  it('lets exactly one of many concurrent appends at one version win', async () => {
    await appendToStream(t.db, 's-3', 'no_stream', [ev('A')]);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => appendToStream(t.db, 's-3', 1, [ev('Racer', { i })])),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(await readStream(t.db, 's-3')).toHaveLength(2);
  });
});

describe('read all, gap-free', () => {
  it('never moves past an event whose transaction commits after a later one', async () => {
    let cursor = (await readAll(t.db, START, 10_000)).cursor;
    // Transaction A takes its id first and stays open...
    const held = new pg.Client({ connectionString: t.url });
    await held.connect();
    await held.query('BEGIN');
    await held.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, hash)
       VALUES (gen_random_uuid(), 'gap-a', 1, 'Slow', '{}', 'x')`,
    );
    // ...while B commits.
    await appendToStream(t.db, 'gap-b', 'no_stream', [ev('Fast')]);

    const whileOpen = await readAll(t.db, cursor, 100);
    expect(whileOpen.events.map((e) => e.type)).toEqual([]);
    cursor = whileOpen.cursor;

    await held.query('COMMIT');
    await held.end();
    const seen: RecordedEvent[] = [];
    for (;;) {
      const batch = await readAll(t.db, cursor, 1);
      if (batch.events.length === 0) break;
      seen.push(...batch.events);
      cursor = batch.cursor;
    }
    expect(seen.map((e) => e.type)).toEqual(['Slow', 'Fast']);
  });

  it('wakes a waiting tailer on append (LISTEN/NOTIFY), long before its poll time-out', async () => {
    const waker = new AppendWaker(t.url);
    await waker.wait(1); // connects and listens
    let woke = false;
    const waiting = waker.wait(60_000).then(() => (woke = true));
    await appendToStream(t.db, 'wake-1', 'no_stream', [ev('Ping')]);
    await Promise.race([waiting, new Promise((r) => setTimeout(r, 5_000))]);
    await waker.close();
    expect(woke).toBe(true);
  });
});
