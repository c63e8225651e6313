import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busNames, connectBus, decodeJson, type BusNames, type ViewChanged } from '../../src/bus/index.js';
import { decide, fold, resolveLimits, submissionStreamId, type SubmissionEvent, type SubmissionState } from '../../src/domain/index.js';
import { AppendWaker, START, appendToStream, loadCheckpoint, readAll } from '../../src/eventstore/index.js';
import { findSubmission, listSubmissions, projectBatch, runProjector } from '../../src/projections/index.js';
import { createTestDatabase, testNamespace, type TestDatabase } from '../support/database.js';
import { captureLogger, eventually } from '../support/log.js';

let t: TestDatabase;
let nc: NatsConnection;
let names: BusNames;
let waker: AppendWaker;

beforeAll(async () => {
  t = await createTestDatabase();
  nc = await connectBus('nats://127.0.0.1:4222', 'projector-test');
  names = busNames(testNamespace('proj'));
  waker = new AppendWaker(t.url);
});
afterAll(async () => {
  await waker.close();
  await nc.close();
  await t.drop();
});

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function submitAndJudge(n: number, verdict: 'ACCEPTED' | 'WRONG_ANSWER'): Promise<void> {
  const streamId = submissionStreamId(id(n));
  const events: SubmissionEvent[] = decide(
    {
      type: 'Submit',
      data: {
        submissionId: id(n),
        tenant: n % 2 ? 'odd' : 'even',
        language: 'python',
        source: 'x',
        stdin: '',
        expectedOutput: null,
        limits: resolveLimits({}),
        idempotencyKey: null,
        receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      },
    },
    null,
  );
  await appendToStream(t.db, streamId, 'no_stream', events);
  // Judge it as a worker would: each command decided on everything recorded so far.
  const all = [...events];
  const step = (command: Parameters<typeof decide>[0]) => all.push(...decide(command, fold(all)));
  step({ type: 'StartJudging', data: { round: 1, worker: 'w', compiles: false, now: 'now' } });
  step({ type: 'RecordRun', data: { round: 1, index: 0, verdict, timeMs: 5, wallTimeMs: 6, memoryKb: 7, exitCode: 0, signal: null, stdout: 'o', stderr: '' } });
  step({ type: 'FinishJudging', data: { round: 1, now: '2026-01-01T00:01:00.000Z' } });
  const later = all.slice(events.length);
  await appendToStream(t.db, streamId, 1, later);
}

describe('submissions projector', () => {
  it('folds streams into the read model and announces each changed view on core NATS', async () => {
    const announced: ViewChanged[] = [];
    const sub = nc.subscribe(`${names.namespace}.views.submission.*`);
    void (async () => {
      for await (const m of sub) announced.push(decodeJson<ViewChanged>(m.data));
    })();
    const stop = new AbortController();
    const { log } = captureLogger();
    const running = runProjector({ db: t.db, databaseUrl: t.url, waker, nc, names, log }, stop.signal);

    await submitAndJudge(1, 'ACCEPTED');
    await submitAndJudge(2, 'WRONG_ANSWER');
    const judged = await eventually(async () => {
      const s = await findSubmission(t.db, id(2));
      return s?.status === 'JUDGED' ? s : null;
    });
    expect(judged).toMatchObject({ verdict: 'WRONG_ANSWER', version: 4, tests: [{ index: 0, verdict: 'WRONG_ANSWER' }] });
    // The source and stdin stay in the log, not in every row the API reads.
    expect(judged).not.toHaveProperty('request');
    await eventually(() => announced.some((a) => a.submissionId === id(2) && a.status === 'JUDGED'));
    stop.abort();
    await running;
    sub.unsubscribe();

    const page = await listSubmissions(t.db, { tenant: null, first: 1 });
    expect(page.items.map((s) => s.id)).toEqual([id(2)]); // newest first
    expect(page.hasNextPage).toBe(true);
    const next = await listSubmissions(t.db, { tenant: null, first: 5, after: { createdAt: page.items[0]!.createdAt, id: id(2) } });
    expect(next.items.map((s) => s.id)).toEqual([id(1)]);
    expect((await listSubmissions(t.db, { tenant: 'odd', first: 5 })).items.map((s) => s.id)).toEqual([id(1)]);
    expect((await listSubmissions(t.db, { tenant: null, verdict: 'ACCEPTED', first: 5 })).items.map((s) => s.id)).toEqual([id(1)]);
  });

  it('counts nothing twice when a batch is folded again from an older checkpoint', async () => {
    const before = (await findSubmission(t.db, id(1))) as SubmissionState;
    const { events, cursor } = await readAll(t.db, START, 1000);
    await projectBatch(t.db, events, cursor);
    expect(await findSubmission(t.db, id(1))).toEqual(before);
    expect(await loadCheckpoint(t.db, 'projection:read-models')).toEqual(cursor);
  });
});
