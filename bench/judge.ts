// `npm run bench` (or `npm run bench -- judge`): the judge end to end, each figure next to a
// baseline measured in the same run; prints a table and writes bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';
import { writeFileSync } from 'node:fs';
import Docker from 'dockerode';
import { createClient } from 'graphql-ws';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { appendToStream, readAll, START } from '../src/eventstore/index.js';
import { rebuildReadModels } from '../src/projections/index.js';
import { startTestJudge, type TestJudge } from '../test/support/judge.js';
import { runInFreshContainer } from './fresh-container.js';

interface Row {
  what: string;
  figure: string;
  baseline: string;
  ratio: string;
  target?: string;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const PY = '#!/usr/bin/python3\nprint(int(input()) * 2)\n';

async function waitJudged(j: TestJudge, ids: string[]): Promise<void> {
  for (;;) {
    const { n } = await j.db.db.selectFrom('submissions').select((eb) => eb.fn.countAll<string>().as('n')).where('id', 'in', ids).where('status', 'in', ['JUDGED', 'FAILED']).executeTakeFirstOrThrow();
    if (Number(n) === ids.length) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function latency(j: TestJudge, docker: Docker, rows: Row[]): Promise<void> {
  const ws = createClient({ url: j.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${j.token}` } });
  const endToEnd: number[] = [];
  for (let i = 0; i < 25; i++) {
    const started = performance.now();
    const r = await j.gql<{ submit: { id: string } }>('mutation ($i: SubmitInput!) { submit(input: $i) { id } }', {
      i: { language: 'python', source: 'print(int(input()) * 2)', stdin: String(i), expectedOutput: String(2 * i) },
    });
    for await (const v of ws.iterate<{ submissionUpdated: { status: string } }>({ query: `subscription { submissionUpdated(id: "${r.body.data!.submit.id}") { status } }` })) {
      if (v.data?.submissionUpdated.status === 'JUDGED') break;
    }
    if (i >= 5) endToEnd.push(performance.now() - started); // the first few warm the pool and caches
  }
  await ws.dispose();
  const fresh: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    await runInFreshContainer(docker, 'judge-runtime-python:latest', 'bench', Buffer.from(PY), '5\n');
    fresh.push(performance.now() - started);
  }
  const warm = await docker.createContainer({ Image: 'judge-runtime-python:latest', Cmd: ['sleep', 'infinity'], Entrypoint: [], NetworkDisabled: true, HostConfig: { NetworkMode: 'none' } });
  await warm.start();
  const execs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const exec = await warm.exec({ Cmd: ['python3', '-c', 'print(2 * 5)'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise((r) => stream.on('end', r).resume());
    execs.push(performance.now() - started);
  }
  await warm.remove({ force: true });
  const direct: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    spawnSync('python3', ['-c', 'print(int(input()) * 2)'], { input: '5\n' });
    direct.push(performance.now() - started);
  }
  const [p50, p90, f50] = [pct(endToEnd, 50), pct(endToEnd, 90), pct(fresh, 50)];
  rows.push({ what: 'end-to-end, one-test python run: submit → final view over graphql-ws, p50 / p90', figure: `${fmt(p50)} / ${fmt(p90)} ms`, baseline: `one fresh hardened container ${fmt(f50)} ms`, ratio: `${(p50 / f50).toFixed(2)}×`, target: '≤ 0.6×' });
  rows.push({ what: '… other baselines: one exec in a warm container; the program run directly', figure: '', baseline: `exec ${fmt(pct(execs, 50))} ms; direct ${fmt(pct(direct, 50))} ms`, ratio: `${(p50 / pct(direct, 50)).toFixed(1)}× direct` });
}

async function throughput(j: TestJudge, docker: Docker, rows: Row[]): Promise<void> {
  const tests = Array.from({ length: 10 }, (_, i) => ({ input: String(i), expectedOutput: String(2 * i) }));
  const p = await j.gql<{ createProblem: { id: string } }>('mutation ($i: CreateProblemInput!) { createProblem(input: $i) { id } }', { i: { title: 'x2', tests } });
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await j.gql<{ submit: { id: string } }>('mutation ($i: SubmitInput!) { submit(input: $i) { id } }', {
      i: { problemId: p.body.data!.createProblem.id, language: 'python', source: 'print(int(input()) * 2)' },
    });
    ids.push(r.body.data!.submit.id);
  }
  await waitJudged(j, ids);
  const judge = (performance.now() - started) / 1000;
  // The same 400 runs, one fresh container per test, two at a time (the judge has two slots).
  const freshStarted = performance.now();
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < 400) {
        next++;
        await runInFreshContainer(docker, 'judge-runtime-python:latest', 'bench', Buffer.from(PY), '5\n');
      }
    }),
  );
  const fresh = (performance.now() - freshStarted) / 1000;
  rows.push({ what: 'throughput: 40 submissions × 10 tests (python), submit → all judged', figure: `${judge.toFixed(1)} s (${(400 / judge).toFixed(0)} tests/s)`, baseline: `one fresh container per test: ${fresh.toFixed(1)} s`, ratio: `${(fresh / judge).toFixed(1)}× faster`, target: '≥ 4×' });
}

async function appends(j: TestJudge, rows: Row[]): Promise<void> {
  const single = performance.now();
  for (let i = 0; i < 1000; i++) await appendToStream(j.db.db, `bench-single-${i}`, 'no_stream', [{ type: 'Noise', data: { i } }]);
  const singleRate = 1000 / ((performance.now() - single) / 1000);
  const batched = performance.now();
  for (let i = 0; i < 100; i++) await appendToStream(j.db.db, `bench-batch-${i}`, 'no_stream', Array.from({ length: 100 }, (_, k) => ({ type: 'Noise', data: { k } })));
  const batchedRate = 10_000 / ((performance.now() - batched) / 1000);
  rows.push({ what: 'event appends per second, batched (100 per append)', figure: `${batchedRate.toFixed(0)}/s`, baseline: `single: ${singleRate.toFixed(0)}/s`, ratio: `${(batchedRate / singleRate).toFixed(1)}×`, target: '≥ 5,000/s batched' });
}

async function fanOut(j: TestJudge, rows: Row[]): Promise<void> {
  // A submission no worker picks up (its language has no image), so only this bench moves it.
  const id = '00000000-0000-4000-8000-00000000f00d';
  await appendToStream(j.db.db, `submission-${id}`, 'no_stream', [
    { type: 'SubmissionReceived', data: { submissionId: id, tenant: 'admin', language: 'nowhere', source: 'x', stdin: '', expectedOutput: null, limits: {}, idempotencyKey: null, receivedAt: new Date().toISOString() } },
  ]);
  const clients = Array.from({ length: 50 }, () => createClient({ url: j.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${j.token}` } }));
  const arrivals: number[] = [];
  let appendedAt = 0;
  let ready = 0;
  const done = new Promise<void>((resolve) => {
    for (let s = 0; s < 1000; s++) {
      clients[s % 50]!.subscribe({ query: `subscription { submissionUpdated(id: "${id}") { version } }` }, {
        next: (v) => {
          const version = (v.data as { submissionUpdated: { version: number } }).submissionUpdated.version;
          if (version === 1) ready++;
          if (version === 2) {
            arrivals.push(performance.now() - appendedAt);
            if (arrivals.length === 1000) resolve();
          }
        },
        error: () => {},
        complete: () => {},
      });
    }
  });
  while (ready < 1000) await new Promise((r) => setTimeout(r, 20));
  appendedAt = performance.now();
  await appendToStream(j.db.db, `submission-${id}`, 1, [{ type: 'JudgingStarted', data: { round: 1, worker: 'bench', startedAt: new Date().toISOString(), compiles: false } }]);
  await done;
  await Promise.all(clients.map((c) => c.dispose()));
  rows.push({ what: 'fan-out: 1,000 graphql-ws subscribers on one submission, append → delivered, p50 / p99', figure: `${fmt(pct(arrivals, 50))} / ${fmt(pct(arrivals, 99))} ms`, baseline: 'first delivery ' + `${fmt(Math.min(...arrivals))} ms`, ratio: `p99 ${(pct(arrivals, 99) / Math.min(...arrivals)).toFixed(1)}× first`, target: 'p99 ≤ 250 ms' });
}

async function queries(j: TestJudge, rows: Row[]): Promise<void> {
  const query = '{ submissions(first: 50) { edges { node { id status verdict timeMs language { id } } } } }';
  const run = async (fn: () => Promise<unknown>): Promise<number> => {
    let n = 0;
    const until = performance.now() + 3000;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (performance.now() < until) {
        await fn();
        n++;
      }
    }));
    return n / 3;
  };
  const viaApi = await run(() => j.gql(query));
  const viaSql = await run(() => sql`SELECT state FROM submissions ORDER BY created_at DESC, id DESC LIMIT 51`.execute(j.db.db));
  rows.push({ what: 'submissions(first: 50) queries per second (8 concurrent clients)', figure: `${viaApi.toFixed(0)}/s`, baseline: `the same page in SQL: ${viaSql.toFixed(0)}/s`, ratio: `${(viaApi / viaSql).toFixed(2)}×` });
}

async function rebuild(j: TestJudge, rows: Row[]): Promise<void> {
  for (let s = 0; s < 5000; s += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, k) => {
      const id = `00000000-0000-4000-9000-${String(s + k).padStart(12, '0')}`;
      return appendToStream(j.db.db, `submission-${id}`, 'no_stream', [
        { type: 'SubmissionReceived', data: { submissionId: id, tenant: 'admin', language: 'python', source: 'x', stdin: '', expectedOutput: null, limits: {}, idempotencyKey: null, receivedAt: new Date().toISOString() } },
        { type: 'JudgingStarted', data: { round: 1, worker: 'w', startedAt: 't', compiles: false } },
        { type: 'RunFinished', data: { round: 1, index: 0, verdict: 'ACCEPTED', timeMs: 1, wallTimeMs: 1, memoryKb: 1, exitCode: 0, signal: null, stdout: '', stderr: '' } },
        { type: 'SubmissionJudged', data: { round: 1, verdict: 'ACCEPTED', timeMs: 1, memoryKb: 1, judgedAt: new Date().toISOString() } },
      ]);
    }));
  }
  const scanStarted = performance.now();
  let cursor = START;
  let scanned = 0;
  for (;;) {
    const b = await readAll(j.db.db, cursor, 1000);
    if (b.events.length === 0) break;
    scanned += b.events.length;
    cursor = b.cursor;
  }
  const scanRate = scanned / ((performance.now() - scanStarted) / 1000);
  const started = performance.now();
  const { events } = await rebuildReadModels(j.db.db);
  const rate = events / ((performance.now() - started) / 1000);
  rows.push({ what: `projection rebuild (${events} events)`, figure: `${rate.toFixed(0)} events/s`, baseline: `reading the log alone: ${scanRate.toFixed(0)} events/s`, ratio: `${(rate / scanRate).toFixed(2)}×`, target: '≥ 20,000 events/s' });
}

function machine(): string {
  const docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).stdout.trim();
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}, Docker ${docker || '?'}, ${new Date().toISOString().slice(0, 10)}`;
}

export async function benchJudge(): Promise<void> {
  const docker = new Docker();
  const j = await startTestJudge('bench', { LOG_LEVEL: 'warn', JUDGE_SUBMIT_RATE_PER_KEY: '1000000', JUDGE_SUBMIT_RATE_GLOBAL: '1000000' });
  const rows: Row[] = [];
  try {
    while (((await j.gql<{ languages: unknown[] }>('{ languages { id } }')).body.data?.languages.length ?? 0) === 0) await new Promise((r) => setTimeout(r, 100));
    for (const [name, step] of [
      ['latency', () => latency(j, docker, rows)],
      ['throughput', () => throughput(j, docker, rows)],
      ['appends', () => appends(j, rows)],
      ['fan-out', () => fanOut(j, rows)],
      ['queries', () => queries(j, rows)],
      ['rebuild', () => rebuild(j, rows)],
    ] as const) {
      process.stderr.write(`bench: ${name}…\n`);
      await step();
    }
  } finally {
    await j.stop();
  }
  const table = [
    '| what | figure | baseline (same run) | ratio | target |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.what} | ${r.figure} | ${r.baseline} | ${r.ratio} | ${r.target ?? ''} |`),
  ].join('\n');
  console.log(table);
  writeFileSync(
    new URL('./RESULTS.md', import.meta.url),
    `# Benchmark results\n\n\`npm run bench\` on ${machine()}.\nOne judge process with every role (2 worker slots), its own database and namespace.\n\n${table}\n`,
  );
}
