import { busNames, connectBus, deleteStreams } from '../../src/bus/index.js';
import { createTestDatabase, testNamespace, type TestDatabase } from './database.js';
import { eventually } from './log.js';
import { startJudgeProcess, type JudgeProcess } from './processes.js';

/** A judge made of real processes (by JUDGE_ROLES) on one database and namespace. */
export interface Deployment {
  db: TestDatabase;
  namespace: string;
  token: string;
  processes: JudgeProcess[];
  start(roles: string, env?: Record<string, string>): Promise<JudgeProcess>;
  gql(p: JudgeProcess, query: string, variables?: Record<string, unknown>): Promise<{ data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** event types of one submission's stream, in order */
  streamTypes(submissionId: string): Promise<string[]>;
  waitFinal(p: JudgeProcess, id: string, timeoutMs?: number): Promise<{ status: string; verdict: string }>;
  stop(): Promise<void>;
}

export async function createDeployment(tag: string, baseEnv: Record<string, string> = {}): Promise<Deployment> {
  const db = await createTestDatabase();
  const namespace = testNamespace(tag);
  const token = `deployment-token-${tag}-0123456789`;
  const processes: JudgeProcess[] = [];
  const deployment: Deployment = {
    db,
    namespace,
    token,
    processes,
    start: async (roles, env = {}) => {
      const p = await startJudgeProcess({
        DATABASE_URL: db.url,
        JUDGE_NAMESPACE: namespace,
        JUDGE_ADMIN_TOKEN: token,
        PORT: '0',
        JUDGE_ROLES: roles,
        ...baseEnv,
        ...env,
      });
      processes.push(p);
      return p;
    },
    gql: async (p, query, variables = {}) => {
      const res = await fetch(`http://127.0.0.1:${p.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(10_000),
      });
      return (await res.json()) as never;
    },
    streamTypes: async (id) =>
      (await db.db.selectFrom('events').select('type').where('stream_id', '=', `submission-${id}`).orderBy('stream_version').execute()).map((e) => e.type),
    waitFinal: (p, id, timeoutMs = 90_000) =>
      eventually(async () => {
        const r = await deployment.gql(p, 'query ($id: ID!) { submission(id: $id) { status verdict } }', { id }).catch(() => null);
        const s = r?.data?.submission as { status: string; verdict: string } | undefined;
        return s && (s.status === 'JUDGED' || s.status === 'FAILED') ? s : null;
      }, timeoutMs, 200),
    stop: async () => {
      await Promise.all(processes.map((p) => p.stop('SIGKILL')));
      const nc = await connectBus('nats://127.0.0.1:4222', 'cleanup');
      await deleteStreams(nc, busNames(namespace));
      await nc.close();
      await db.drop();
    },
  };
  return deployment;
}
