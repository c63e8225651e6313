import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { busNames, connectBus, deleteStreams } from '../../src/bus/index.js';
import { createTestDatabase, testNamespace, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/log.js';
import { startJudgeProcess, type JudgeProcess } from '../support/processes.js';

let db: TestDatabase;
let judge: JudgeProcess;
const namespace = testNamespace('stop');
const token = 'shutdown-admin-token-0123456789';

beforeAll(async () => {
  db = await createTestDatabase();
  judge = await startJudgeProcess({ DATABASE_URL: db.url, JUDGE_NAMESPACE: namespace, JUDGE_ADMIN_TOKEN: token, PORT: '0' });
});
afterAll(async () => {
  await judge?.stop('SIGKILL');
  const nc = await connectBus('nats://127.0.0.1:4222', 'cleanup');
  await deleteStreams(nc, busNames(namespace));
  await nc.close();
  await db?.drop();
});

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`http://127.0.0.1:${judge.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
};

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the judging in progress, closes subscriptions with 1001 and exits 0 within 30 s', async () => {
    await eventually(async () => ((await gql('{ languages { id } }')).data?.languages.length ?? 0) > 0, 60_000);
    const submitted = await gql('mutation { submit(input: { language: "python", source: "import time\\ntime.sleep(2)\\nprint(1)", expectedOutput: "1" }) { id } }');
    const id = submitted.data!.submit.id as string;
    await eventually(async () => (await gql(`{ submission(id: "${id}") { status } }`)).data?.submission.status === 'RUNNING');

    const socket = new WebSocket(`ws://127.0.0.1:${judge.port}/graphql`, 'graphql-transport-ws');
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await new Promise((r) => socket.once('message', r));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { submissionUpdated(id: "${id}") { status } }` } }));

    const started = Date.now();
    const code = await judge.stop('SIGTERM');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(code).toBe(0);
    expect(await closed).toBe(1001);
    // Nothing was lost: the round in progress was judged before the process left.
    const types = (await db.db.selectFrom('events').select('type').where('stream_id', '=', `submission-${id}`).orderBy('stream_version').execute()).map((e) => e.type);
    expect(types).toEqual(['SubmissionReceived', 'JudgingStarted', 'RunFinished', 'SubmissionJudged']);
  });
});
