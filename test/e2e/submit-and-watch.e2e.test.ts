import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestJudge, type TestJudge } from '../support/judge.js';
import { eventually } from '../support/log.js';

let j: TestJudge;
beforeAll(async () => {
  j = await startTestJudge('e2e');
  // Workers register the languages whose runtime images are present.
  await eventually(async () => {
    const r = await j.gql<{ languages: Array<{ id: string }> }>('{ languages { id } }');
    return (r.body.data?.languages.length ?? 0) >= 4;
  }, 60_000);
});
afterAll(async () => {
  await j?.stop();
});

const SUBMIT = `mutation ($input: SubmitInput!) { submit(input: $input) { id status verdict round version } }`;
const VIEW = `id status verdict version stdout stderr timeMs memoryKb compile { success output } tests { index verdict timeMs wallTimeMs memoryKb exitCode signal }`;

type View = {
  id: string;
  status: string;
  verdict: string | null;
  version: number;
  stdout: string | null;
  compile: { success: boolean; output: string } | null;
  tests: Array<{ verdict: string; timeMs: number; memoryKb: number; exitCode: number | null }>;
};

/** Submits over HTTP, then watches over graphql-ws until the verdict is final. */
async function submitAndWatch(input: Record<string, unknown>): Promise<{ submitted: View; seen: View[] }> {
  const res = await j.gql<{ submit: View }>(SUBMIT, { input });
  expect(res.body.errors).toBeUndefined();
  const submitted = res.body.data!.submit;
  const seen: View[] = [];
  const client = j.wsClient();
  for await (const result of client.iterate<{ submissionUpdated: View }>({
    query: `subscription ($id: ID!) { submissionUpdated(id: $id) { ${VIEW} } }`,
    variables: { id: submitted.id },
  })) {
    expect(result.errors).toBeUndefined();
    const view = result.data!.submissionUpdated;
    seen.push(view);
    if (view.status === 'JUDGED' || view.status === 'FAILED') break;
  }
  return { submitted, seen };
}

const programs = {
  python: 'import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n',
  c: '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);return 0;}\n',
  cpp: '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<std::endl;}\n',
  javascript: "const s=require('fs').readFileSync(0,'utf8').split(/\\s+/).filter(Boolean).map(Number);console.log(s[0]+s[1]);\n",
};

describe('submit over HTTP, verdict over graphql-ws', () => {
  it.each(Object.entries(programs))('%s: an accepted program', async (language, source) => {
    const { submitted, seen } = await submitAndWatch({ language, source, stdin: '2 40\n', expectedOutput: '42\n' });
    expect(submitted).toMatchObject({ status: 'QUEUED', verdict: null, round: 1, version: 1 });
    const final = seen.at(-1)!;
    expect(final).toMatchObject({ id: submitted.id, status: 'JUDGED', verdict: 'ACCEPTED', stdout: '42\n' });
    expect(final.tests).toHaveLength(1);
    expect(final.tests[0]).toMatchObject({ verdict: 'ACCEPTED', exitCode: 0 });
    expect(final.tests[0]!.memoryKb).toBeGreaterThan(0);
    expect(final.compile === null).toBe(language === 'python' || language === 'javascript');
    // Views arrive in order, never going back.
    const versions = seen.map((v) => v.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('a wrong answer', async () => {
    const { seen } = await submitAndWatch({ language: 'python', source: 'print(41)', expectedOutput: '42' });
    expect(seen.at(-1)).toMatchObject({ status: 'JUDGED', verdict: 'WRONG_ANSWER', stdout: '41\n' });
  });

  it('a compilation error, with the compiler output', async () => {
    const { seen } = await submitAndWatch({ language: 'c', source: 'int main( { return 0; }' });
    const final = seen.at(-1)!;
    expect(final).toMatchObject({ status: 'JUDGED', verdict: 'COMPILATION_ERROR', tests: [] });
    expect(final.compile?.success).toBe(false);
    expect(final.compile?.output).toMatch(/error/);
  });

  it('a run without expected output is accepted on a clean exit, a crash is a runtime error', async () => {
    const ok = await submitAndWatch({ language: 'python', source: 'print("hi")' });
    expect(ok.seen.at(-1)).toMatchObject({ verdict: 'ACCEPTED', stdout: 'hi\n' });
    const crash = await submitAndWatch({ language: 'python', source: 'raise SystemExit(3)' });
    expect(crash.seen.at(-1)).toMatchObject({ verdict: 'RUNTIME_ERROR', tests: [{ exitCode: 3 }] });
  });
});

describe('queries', () => {
  it('lists submissions newest first with cursors, and reads one with its events', async () => {
    const first = await j.gql<{ submissions: { edges: Array<{ node: { id: string; createdAt: string }; cursor: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      '{ submissions(first: 2) { edges { node { id createdAt } cursor } pageInfo { hasNextPage endCursor } } }',
    );
    const page = first.body.data!.submissions;
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges[0]!.node.createdAt >= page.edges[1]!.node.createdAt).toBe(true);
    const next = await j.gql<{ submissions: { edges: Array<{ node: { id: string } }> } }>(
      'query ($after: String) { submissions(first: 100, after: $after) { edges { node { id } } } }',
      { after: page.pageInfo.endCursor },
    );
    const nextIds = next.body.data!.submissions.edges.map((e) => e.node.id);
    expect(nextIds).not.toContain(page.edges[0]!.node.id);
    expect(nextIds.length).toBe(6); // 8 submitted above, 2 on the first page

    const id = page.edges[0]!.node.id;
    const one = await j.gql<{ submission: { events: Array<{ type: string; version: number }> }; submissionAt: { status: string; version: number } }>(
      'query ($id: ID!) { submission(id: $id) { events { type version } } submissionAt(id: $id, version: 1) { status version } }',
      { id },
    );
    const types = one.body.data!.submission.events.map((e) => e.type);
    expect(types[0]).toBe('SubmissionReceived');
    expect(types.at(-1)).toBe('SubmissionJudged');
    expect(one.body.data!.submissionAt).toEqual({ status: 'QUEUED', version: 1 });
  });

  it('answers the same submission for the same idempotency key, appending nothing', async () => {
    const input = { language: 'python', source: 'print(1)', idempotencyKey: 'retry-me' };
    const a = await j.gql<{ submit: { id: string } }>(SUBMIT, { input });
    const b = await j.gql<{ submit: { id: string } }>(SUBMIT, { input });
    expect(b.body.data!.submit.id).toBe(a.body.data!.submit.id);
    const { count } = await j.db.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('stream_id', '=', `submission-${a.body.data!.submit.id}`)
      .where('type', '=', 'SubmissionReceived')
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
  });
});

describe('bad input and auth', () => {
  // Submissions received (other events keep arriving while earlier submissions are judged).
  const countEvents = async () =>
    Number((await j.db.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('type', '=', 'SubmissionReceived').executeTakeFirstOrThrow()).n);

  it.each([
    ['an unknown language', { language: 'cobol', source: 'x' }, /unknown language/],
    ['an empty source', { language: 'python', source: '   ' }, /source is empty/],
    ['a source over 256 KiB', { language: 'python', source: 'x'.repeat(256 * 1024 + 1) }, /source is larger/],
    ['a NUL in stdin', { language: 'python', source: 'print(1)', stdin: 'a\u0000b' }, /NUL/],
    ['a time limit over the maximum', { language: 'python', source: 'print(1)', limits: { timeMs: 60_000 } }, /limits.timeMs/],
    ['a memory limit under the minimum', { language: 'python', source: 'print(1)', limits: { memoryKb: 10 } }, /limits.memoryKb/],
  ])('refuses %s with BAD_USER_INPUT and appends nothing', async (_label, input, message) => {
    const before = await countEvents();
    const res = await j.gql(SUBMIT, { input });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(message);
    expect(await countEvents()).toBe(before);
  });

  it('answers an unknown problem with NOT_FOUND', async () => {
    const res = await j.gql(SUBMIT, { input: { problemId: 'nope', language: 'python', source: 'print(1)' } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a missing or wrong token with UNAUTHENTICATED', async () => {
    for (const token of [null, 'wrong-token-wrong-token']) {
      const res = await j.gql('{ languages { id } }', {}, token);
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('closes a graphql-ws connection with a bad token with 4403', async () => {
    const socket = new WebSocket(j.wsUrl, 'graphql-transport-ws');
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer nope' } }));
    const code = await new Promise<number>((r) => socket.once('close', (c) => r(c)));
    expect(code).toBe(4403);
  });

  it('reports an unexpected failure as INTERNAL_SERVER_ERROR without its detail', async () => {
    // A cursor position past what Postgres' bigint can hold: the database refuses the query.
    const after = Buffer.from(JSON.stringify({ x: '1', p: '99999999999999999999999' })).toString('base64url');
    const res = await j.gql('query ($after: String) { events(after: $after) { edges { cursor } } }', { after });
    expect(res.body.errors).toEqual([expect.objectContaining({ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    expect(JSON.stringify(res.body)).not.toMatch(/bigint|out of range|SELECT|at .*\.ts/);
  });

  it('answers malformed JSON with 400, and the judge keeps serving', async () => {
    const res = await fetch(j.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${j.token}` }, body: '{"query": ' });
    expect(res.status).toBe(400);
    const again = await j.gql<{ languages: unknown[] }>('{ languages { id } }');
    expect(again.body.data?.languages.length).toBeGreaterThan(0);
  });

  it('reads NOT_FOUND for an unknown submission subscription, null for a query', async () => {
    const q = await j.gql<{ submission: null }>('{ submission(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(q.body.data?.submission).toBeNull();
    const client = j.wsClient();
    const errors: unknown[] = [];
    for await (const r of client.iterate({ query: 'subscription { submissionUpdated(id: "00000000-0000-4000-8000-000000000000") { id } }' })) {
      errors.push(...(r.errors ?? []));
      break;
    }
    expect(errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
  });
});

describe('metrics', () => {
  it('exposes Prometheus metrics of what this judge did', async () => {
    const text = await (await fetch(j.url.replace('/graphql', '/metrics'))).text();
    const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? NaN);
    expect(value(/^judge_submissions_judged_total\{language="python",verdict="ACCEPTED"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^judge_submissions_judged_total\{language="c",verdict="COMPILATION_ERROR"\} (\d+)/m)).toBe(1);
    expect(value(/^judge_submissions_received_total\{language="cpp"\} (\d+)/m)).toBe(1);
    expect(value(/^judge_worker_slots\{state="total"\} (\d+)/m)).toBe(2);
    expect(value(/^judge_run_duration_seconds_count\{language="javascript"\} (\d+)/m)).toBe(1);
    expect(value(/^judge_event_append_duration_seconds_count (\d+)/m)).toBeGreaterThan(10);
    expect(value(/^judge_queue_depth (\d+)/m)).toBeGreaterThanOrEqual(0); // present (work may be in flight)
    expect(value(/^judge_relay_lag_events (\d+)/m)).toBeGreaterThanOrEqual(0);
    expect(value(/^judge_projector_lag_events (\d+)/m)).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^judge_http_request_duration_seconds_bucket\{le="[^"]+",route="\/graphql",status="200"\} \d+/m);
    expect(text).toMatch(/^judge_open_subscriptions \d+/m);
  });
});

describe('health', () => {
  it('is alive and ready (Postgres, NATS, Docker)', async () => {
    const base = j.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: true, nats: true, docker: true } });
  });
});
