import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { busNames, connectBus, deleteStreams } from '../../src/bus/index.js';
import { parseConfig } from '../../src/config/index.js';
import { startJudge, type RunningJudge } from '../../src/judge.js';
import { createTestDatabase, testNamespace, type TestDatabase } from './database.js';
import { captureLogger } from './log.js';

export interface TestJudge {
  url: string;
  wsUrl: string;
  token: string;
  db: TestDatabase;
  judge: RunningJudge;
  lines: Array<Record<string, unknown>>;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<{ status: number; body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }>;
  wsClient(token?: string): Client;
  stop(): Promise<void>;
}

/** The whole judge, every role in this process, on its own database and namespace. */
export async function startTestJudge(tag: string, env: Record<string, string> = {}): Promise<TestJudge> {
  const db = await createTestDatabase();
  const token = `test-admin-token-${Math.random().toString(36).slice(2)}`;
  const config = parseConfig(
    { DATABASE_URL: db.url, JUDGE_NAMESPACE: testNamespace(tag), PORT: '0', JUDGE_ADMIN_TOKEN: token, JUDGE_WORKER_SLOTS: '2', ...env },
    2,
  );
  const { log, lines } = captureLogger();
  // A role failing inside a test must fail the test, not end the test runner's process.
  const judge = await startJudge(config, token, log, (err) => lines.push({ msg: 'fatal', err: String(err) }));
  const url = `http://127.0.0.1:${judge.port}/graphql`;
  const clients: Client[] = [];
  return {
    url,
    wsUrl: url.replace('http', 'ws'),
    token,
    db,
    judge,
    lines,
    gql: async (query, variables = {}, as = token) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    wsClient: (as = token) => {
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${as}` },
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    },
    stop: async () => {
      for (const c of clients) await c.dispose();
      await judge.stop();
      const nc = await connectBus('nats://127.0.0.1:4222', 'cleanup');
      await deleteStreams(nc, busNames(config.namespace));
      await nc.close();
      await db.drop();
    },
  };
}
