import Docker from 'dockerode';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busNames, connectBus, deleteStreams, encodeJson, ensureStreams, type BusNames, type JudgeJob } from '../../src/bus/index.js';
import { decide, fold, resolveLimits, submissionStreamId, type SubmissionEvent } from '../../src/domain/index.js';
import { appendToStream, readStream } from '../../src/eventstore/index.js';
import { runWorker } from '../../workers/index.js';
import { createTestDatabase, testNamespace, type TestDatabase } from '../support/database.js';
import { captureLogger, eventually } from '../support/log.js';

let t: TestDatabase;
let nc: NatsConnection;
let names: BusNames;
const docker = new Docker();
const stop = new AbortController();
let worker: Promise<void>;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  t = await createTestDatabase();
  nc = await connectBus('nats://127.0.0.1:4222', 'worker-test');
  names = busNames(testNamespace('wrk'));
  await ensureStreams(nc, names);
  const captured = captureLogger();
  lines = captured.lines;
  worker = runWorker({ db: t.db, nc, names, docker, log: captured.log, slots: 2, maxDeliver: 2 }, stop.signal);
});
afterAll(async () => {
  stop.abort();
  await worker;
  await deleteStreams(nc, names);
  await nc.close();
  await t.drop();
});

let jobCount = 0;
async function submit(id: string, language: string, source: string, expectedOutput: string | null): Promise<SubmissionEvent[]> {
  const events = decide(
    {
      type: 'Submit',
      data: { submissionId: id, tenant: 'admin', language, source, stdin: '', expectedOutput, limits: resolveLimits({}), idempotencyKey: null, receivedAt: new Date().toISOString() },
    },
    null,
  );
  await appendToStream(t.db, submissionStreamId(id), 'no_stream', events);
  return events;
}

/** Publishes a job as the relay would (each call a distinct message, like a redelivery). */
async function publishJob(id: string, language: string): Promise<void> {
  const job: JudgeJob = { submissionId: id, round: 1, language };
  await jetstream(nc).publish(names.jobSubject(language), encodeJson(job), { msgID: `test-${++jobCount}` });
}

const types = async (id: string) => (await readStream(t.db, submissionStreamId(id))).map((e) => e.type);
const judged = (id: string) => eventually(async () => (await types(id)).includes('SubmissionJudged') || (await types(id)).includes('JudgingFailed'), 60_000);

describe('worker', () => {
  it('judges a job and appends its results in order', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await submit(id, 'c', '#include <stdio.h>\nint main(){puts("hi");}', 'hi');
    await publishJob(id, 'c');
    await judged(id);
    expect(await types(id)).toEqual(['SubmissionReceived', 'JudgingStarted', 'CompileFinished', 'RunFinished', 'SubmissionJudged']);
    const events = await readStream(t.db, submissionStreamId(id));
    expect(fold(events.map((e) => ({ type: e.type, data: e.data }) as SubmissionEvent))).toMatchObject({ verdict: 'ACCEPTED', status: 'JUDGED' });
  });

  it('acks a redelivered job whose results are already in the stream without running again', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const before = await types(id);
    await publishJob(id, 'c');
    await eventually(() => lines.some((l) => l.submissionId === id && l.outcome === 'already-done'));
    expect(await types(id)).toEqual(before);
  });

  it('finishes a round a crashed worker left half done, recording each test once', async () => {
    const id = '00000000-0000-4000-8000-000000000002';
    const received = await submit(id, 'python', 'print(7)', '7');
    // What a worker that died after its run recorded: started, and the run's result.
    const all = [...received];
    const step = (c: Parameters<typeof decide>[0]) => all.push(...decide(c, fold(all)));
    step({ type: 'StartJudging', data: { round: 1, worker: 'dead', compiles: false, now: 't' } });
    step({ type: 'RecordRun', data: { round: 1, index: 0, verdict: 'ACCEPTED', timeMs: 1, wallTimeMs: 2, memoryKb: 3, exitCode: 0, signal: null, stdout: '7\n', stderr: '' } });
    await appendToStream(t.db, submissionStreamId(id), 1, all.slice(1));
    await publishJob(id, 'python');
    await judged(id);
    expect(await types(id)).toEqual(['SubmissionReceived', 'JudgingStarted', 'RunFinished', 'SubmissionJudged']);
  });

  it('records JudgingFailed (INTERNAL_ERROR) after the last delivery fails', async () => {
    const id = '00000000-0000-4000-8000-000000000003';
    await submit(id, 'cobol', 'DISPLAY "HI".', null); // no worker can run it
    await publishJob(id, 'cobol');
    await judged(id);
    const events = await readStream(t.db, submissionStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['SubmissionReceived', 'JudgingFailed']);
    expect(fold(events.map((e) => ({ type: e.type, data: e.data }) as SubmissionEvent))).toMatchObject({ status: 'FAILED', verdict: 'INTERNAL_ERROR' });
    expect(lines.filter((l) => l.submissionId === id && l.msg === 'judging failed')).toHaveLength(2);
  });
});
