import { request } from 'node:http';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { busNames, connectBus, deleteStreams } from '../../src/bus/index.js';
import { createTestDatabase, testNamespace, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/log.js';
import { startJudgeProcess, type JudgeProcess } from '../support/processes.js';

// Two api processes against one Postgres: the abuse limits are shared, not per process.
let db: TestDatabase;
let a: JudgeProcess;
let b: JudgeProcess;
const namespace = testNamespace('limits');
const admin = 'limits-admin-token-0123456789';

const gql = async (p: JudgeProcess, query: string, variables: Record<string, unknown> = {}, token: string | null = admin) => {
  const res = await fetch(`http://127.0.0.1:${p.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
};
const SUBMIT = 'mutation { submit(input: { language: "python", source: "print(1)" }) { id } }';

beforeAll(async () => {
  db = await createTestDatabase();
  // No worker runs here: register python as one would, so submits are accepted and stay queued.
  await db.db.insertInto('languages').values({ id: 'python', name: 'Python 3', version: '3', compiled: false, source_file_name: 'main.py' }).execute();
  const env = {
    DATABASE_URL: db.url,
    JUDGE_NAMESPACE: namespace,
    JUDGE_ADMIN_TOKEN: admin,
    PORT: '0',
    JUDGE_SUBMIT_RATE_PER_KEY: '3',
    JUDGE_UNAUTHENTICATED_RATE_PER_IP: '3',
    JUDGE_MAX_ACTIVE_PER_TENANT: '5',
  };
  [a, b] = await Promise.all([
    startJudgeProcess({ ...env, JUDGE_ROLES: 'api,relay,projector' }),
    startJudgeProcess({ ...env, JUDGE_ROLES: 'api' }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  const nc = await connectBus('nats://127.0.0.1:4222', 'cleanup');
  await deleteStreams(nc, busNames(namespace));
  await nc.close();
  await db?.drop();
});

const submissionsReceived = async () =>
  Number((await db.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('type', '=', 'SubmissionReceived').executeTakeFirstOrThrow()).n);

describe('abuse limits across api replicas', () => {
  it('limits submissions per key over both processes, with retryAfterMs, appending nothing', async () => {
    for (const p of [a, a, b]) expect((await gql(p, SUBMIT)).errors).toBeUndefined();
    const before = await submissionsReceived();
    const limited = await gql(b, SUBMIT);
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfterMs).toBeGreaterThan(0);
    expect(await submissionsReceived()).toBe(before);
  });

  it('caps queued and running submissions per tenant', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await gql(a, 'mutation { createApiKey(tenant: "capped", role: SUBMITTER) { token } }');
      keys.push(r.data!.createApiKey.token as string);
    }
    for (const [key, p] of [[keys[0], a], [keys[0], b], [keys[0], a], [keys[1], b], [keys[1], a]] as const) {
      expect((await gql(p, SUBMIT, {}, key)).errors).toBeUndefined();
    }
    // The cap counts the read model: wait until the five are projected (nothing judges them).
    await eventually(async () => {
      const n = await db.db.selectFrom('submissions').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant', '=', 'capped').executeTakeFirstOrThrow();
      return Number(n.n) === 5;
    });
    const capped = await gql(b, SUBMIT, {}, keys[2]);
    expect(capped.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(capped.errors?.[0]?.message).toMatch(/queued or running/);
  });

  it('limits unauthenticated requests per IP over both processes', async () => {
    for (const p of [a, b, a]) expect((await gql(p, '{ languages { id } }', {}, 'bad-token'))?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const limited = await gql(b, '{ languages { id } }', {}, null);
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // An authenticated client is not affected.
    expect((await gql(a, '{ languages { id } }')).errors).toBeUndefined();
  });
});

describe('query limits', () => {
  const deep = `{ submissions { edges { node { problem { limits { timeMs } } events { id } } } pageInfo { hasNextPage } } }`;

  it('accepts real queries and introspection, and refuses too many aliases over HTTP and graphql-ws', async () => {
    expect((await gql(a, deep)).errors).toBeUndefined();
    expect((await gql(a, getIntrospectionQuery())).errors).toBeUndefined(); // tools keep working
    const aliases = Array.from({ length: 20 }, (_, i) => `l${i}: languages { id }`).join(' ');
    const http = await gql(a, `{ ${aliases} }`);
    expect(http.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(http.errors?.[0]?.message).toMatch(/Aliases limit of 15/);

    const socket = new WebSocket(`ws://127.0.0.1:${a.port}/graphql`, 'graphql-transport-ws');
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } }));
    await new Promise((r) => socket.once('message', r));
    const subAliases = Array.from({ length: 20 }, (_, i) => `v${i}: verdicts { id }`).join(' ');
    socket.send(JSON.stringify({ id: '2', type: 'subscribe', payload: { query: `subscription { ${subAliases} }` } }));
    const reply = JSON.parse(String(await new Promise((r) => socket.once('message', r)))) as { id: string; type: string; payload: Array<{ extensions?: { code?: string } }> };
    expect(reply).toMatchObject({ id: '2', type: 'error' });
    expect(reply.payload[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    socket.close();
  });

  it('answers a body larger than any valid submission with 413 without reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: a.port!, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.write('{"query": "');
    });
    expect(status).toBe(413);
  });
});
