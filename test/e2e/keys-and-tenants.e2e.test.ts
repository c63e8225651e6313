import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestJudge, type TestJudge } from '../support/judge.js';
import { eventually } from '../support/log.js';

let j: TestJudge;
const CREATE_KEY = 'mutation ($t: String!, $r: Role!) { createApiKey(tenant: $t, role: $r) { token apiKey { id tenant role createdAt revokedAt } } }';
const SUBMIT = 'mutation ($i: SubmitInput!) { submit(input: $i) { id } }';

async function key(tenant: string, role: string): Promise<{ token: string; id: string }> {
  const r = await j.gql<{ createApiKey: { token: string; apiKey: { id: string; tenant: string; role: string; revokedAt: null } } }>(CREATE_KEY, { t: tenant, r: role });
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data!.createApiKey.apiKey).toMatchObject({ tenant, role, revokedAt: null });
  return { token: r.body.data!.createApiKey.token, id: r.body.data!.createApiKey.apiKey.id };
}

let acme: { token: string; id: string };
let acmeViewer: { token: string; id: string };
let globex: { token: string; id: string };
let acmeSubmission: string;

beforeAll(async () => {
  j = await startTestJudge('keys');
  await eventually(async () => ((await j.gql<{ languages: unknown[] }>('{ languages { id } }')).body.data?.languages.length ?? 0) >= 4, 60_000);
  acme = await key('acme', 'SUBMITTER');
  acmeViewer = await key('acme', 'VIEWER');
  globex = await key('globex', 'SUBMITTER');
  const r = await j.gql<{ submit: { id: string } }>(SUBMIT, { i: { language: 'python', source: 'print(1)' } }, acme.token);
  expect(r.body.errors).toBeUndefined();
  acmeSubmission = r.body.data!.submit.id;
});
afterAll(async () => {
  await j?.stop();
});

describe('API keys and tenants', () => {
  it('keeps only a hash of a token, in the log and the read model', async () => {
    const { rows } = await sql<{ n: string }>`
      SELECT (SELECT count(*) FROM events WHERE data::text LIKE ${'%' + acme.token + '%'})
           + (SELECT count(*) FROM api_keys WHERE token_hash = ${acme.token}) AS n`.execute(j.db.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('lets a tenant read its own submissions, and hides them from another tenant', async () => {
    const own = await j.gql<{ submission: { id: string } | null }>('query ($id: ID!) { submission(id: $id) { id } }', { id: acmeSubmission }, acmeViewer.token);
    expect(own.body.data!.submission?.id).toBe(acmeSubmission);
    const other = await j.gql<{ submission: null }>('query ($id: ID!) { submission(id: $id) { id } }', { id: acmeSubmission }, globex.token);
    expect(other.body.data!.submission).toBeNull();
    await eventually(async () => {
      const list = await j.gql<{ submissions: { edges: Array<{ node: { id: string } }> } }>('{ submissions { edges { node { id } } } }', {}, acme.token);
      return list.body.data!.submissions.edges.some((e) => e.node.id === acmeSubmission);
    });
    const theirs = await j.gql<{ submissions: { edges: unknown[] } }>('{ submissions { edges { node { id } } } }', {}, globex.token);
    expect(theirs.body.data!.submissions.edges).toEqual([]);
  });

  it('answers NOT_FOUND to another tenant subscribing to a submission', async () => {
    const client = j.wsClient(globex.token);
    const errors: unknown[] = [];
    for await (const r of client.iterate({ query: `subscription { submissionUpdated(id: "${acmeSubmission}") { id } }` })) {
      errors.push(...(r.errors ?? []));
      break;
    }
    expect(errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
  });

  it('enforces roles: VIEWER cannot submit, SUBMITTER cannot administer, everyone reads problems', async () => {
    const viewerSubmit = await j.gql(SUBMIT, { i: { language: 'python', source: 'print(1)' } }, acmeViewer.token);
    expect(viewerSubmit.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [query, variables] of [
      [CREATE_KEY, { t: 'x', r: 'ADMIN' }],
      ['mutation { createProblem(input: { title: "t", tests: [{ input: "", expectedOutput: "" }] }) { id } }', {}],
      [`mutation { rejudge(id: "${acmeSubmission}") { id } }`, {}],
      ['{ events { edges { node { id } } } }', {}],
    ] as const) {
      const r = await j.gql(query, variables, acme.token);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const problems = await j.gql<{ problems: { edges: unknown[] } }>('{ problems { edges { node { id } } } }', {}, acmeViewer.token);
    expect(problems.body.errors).toBeUndefined();
  });

  it('refuses a malformed tenant with BAD_USER_INPUT', async () => {
    const r = await j.gql(CREATE_KEY, { t: 'no spaces allowed', r: 'VIEWER' });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('revokes a key: its requests fail and its open subscriptions end with 4403', async () => {
    const doomed = await key('acme', 'VIEWER');
    const socket = new WebSocket(j.wsUrl, 'graphql-transport-ws');
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${doomed.token}` } }));
    await new Promise((r) => socket.once('message', r)); // connection_ack
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { submissionUpdated(id: "${acmeSubmission}") { id } }` } }));

    const revoked = await j.gql<{ revokeApiKey: { id: string; revokedAt: string | null } }>('mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: doomed.id });
    expect(revoked.body.data!.revokeApiKey.revokedAt).not.toBeNull();
    expect(await closed).toBe(4403);
    const after = await j.gql('{ languages { id } }', {}, doomed.token);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const unknown = await j.gql('mutation { revokeApiKey(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
