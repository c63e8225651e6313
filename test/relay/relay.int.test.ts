import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busNames, connectBus, deleteStreams, type BusNames } from '../../src/bus/index.js';
import { decide, resolveLimits, submissionStreamId } from '../../src/domain/index.js';
import { AppendWaker, START, appendToStream, loadCheckpoint, saveCheckpoint } from '../../src/eventstore/index.js';
import { runRelay } from '../../src/relay/index.js';
import { createTestDatabase, testNamespace, type TestDatabase } from '../support/database.js';
import { captureLogger, eventually } from '../support/log.js';

let t: TestDatabase;
let nc: NatsConnection;
let names: BusNames;
let waker: AppendWaker;

beforeAll(async () => {
  t = await createTestDatabase();
  nc = await connectBus('nats://127.0.0.1:4222', 'relay-test');
  names = busNames(testNamespace('relay'));
  waker = new AppendWaker(t.url);
});
afterAll(async () => {
  await deleteStreams(nc, names);
  await waker.close();
  await nc.close();
  await t.drop();
});

async function submitOne(id: string, language: string): Promise<void> {
  const events = decide(
    {
      type: 'Submit',
      data: {
        submissionId: id,
        tenant: 'admin',
        language,
        source: 'print(1)',
        stdin: '',
        expectedOutput: null,
        limits: resolveLimits({}),
        idempotencyKey: null,
        receivedAt: new Date().toISOString(),
      },
    },
    null,
  );
  await appendToStream(t.db, submissionStreamId(id), 'no_stream', events);
}

// Message counts; zero while the relay has not created the streams yet.
const counts = async () => {
  const jsm = await jetstreamManager(nc);
  const messages = (stream: string) => jsm.streams.info(stream).then((i) => i.state.messages, () => 0);
  return { events: await messages(names.eventsStream), jobs: await messages(names.jobsStream) };
};

function startRelay() {
  const stop = new AbortController();
  const { log, lines } = captureLogger();
  const done = runRelay({ db: t.db, databaseUrl: t.url, waker, nc, names, log }, stop.signal);
  return { stop: async () => (stop.abort(), await done), lines };
}

describe('relay', () => {
  it('publishes every event and a job per submission, on per-language subjects', async () => {
    const relay = startRelay();
    await submitOne('00000000-0000-4000-8000-000000000001', 'python');
    await submitOne('00000000-0000-4000-8000-000000000002', 'c');
    await appendToStream(t.db, 'other-1', 'no_stream', [{ type: 'SomethingElse', data: {} }]);
    await eventually(async () => {
      const c = await counts();
      return c.events === 3 && c.jobs === 2;
    });
    const jsm = await jetstreamManager(nc);
    const job = await jsm.streams.getMessage(names.jobsStream, { last_by_subj: names.jobSubject('c') });
    expect(job?.json()).toEqual({ submissionId: '00000000-0000-4000-8000-000000000002', round: 1, language: 'c' });
    const event = await jsm.streams.getMessage(names.eventsStream, {
      last_by_subj: names.eventSubject(submissionStreamId('00000000-0000-4000-8000-000000000001'), 'SubmissionReceived'),
    });
    expect(event?.json()).toMatchObject({ type: 'SubmissionReceived', version: 1 });
    await relay.stop();
  });

  it('republishes after a crash before its checkpoint, and JetStream drops the copies', async () => {
    const before = await counts();
    const saved = await loadCheckpoint(t.db, `relay:${names.namespace}`);
    expect(saved).not.toEqual(START);
    // As if the relay died after publishing but before saving: the checkpoint is back at zero.
    await saveCheckpoint(t.db, `relay:${names.namespace}`, START);
    const relay = startRelay();
    await eventually(async () => {
      const now = await loadCheckpoint(t.db, `relay:${names.namespace}`);
      return now.position === saved.position;
    });
    expect(await counts()).toEqual(before);
    await relay.stop();
  });

  it('publishes envelopes without payloads, so an event of megabytes never blocks the log', async () => {
    const before = await counts();
    const relay = startRelay();
    await appendToStream(t.db, 'big-1', 'no_stream', [{ type: 'Huge', data: { blob: 'x'.repeat(3 * 1024 * 1024) } }]);
    await submitOne('00000000-0000-4000-8000-0000000000b1', 'python');
    await eventually(async () => (await counts()).jobs === before.jobs + 1);
    const jsm = await jetstreamManager(nc);
    const huge = await jsm.streams.getMessage(names.eventsStream, { last_by_subj: names.eventSubject('big-1', 'Huge') });
    expect(huge?.json()).toMatchObject({ streamId: 'big-1', type: 'Huge', version: 1 });
    expect(huge?.json()).not.toHaveProperty('data');
    await relay.stop();
  });

  it('runs one active relay; a standby takes over when it stops', async () => {
    const first = startRelay();
    await eventually(() => first.lines.some((l) => l.msg === 'relay active'));
    const second = startRelay();
    await new Promise((r) => setTimeout(r, 1500));
    expect(second.lines.some((l) => l.msg === 'relay active')).toBe(false);
    await first.stop();
    await eventually(() => second.lines.some((l) => l.msg === 'relay active'));
    await submitOne('00000000-0000-4000-8000-000000000003', 'python');
    await eventually(async () => (await counts()).jobs === 4);
    await second.stop();
  });
});
