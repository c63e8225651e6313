import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { auditVerify } from '../../src/cli/database-commands.js';
import { appendToStream } from '../../src/eventstore/index.js';
import { PROJECTION_CHECKPOINT } from '../../src/projections/index.js';
import { loadCheckpoint, readAll } from '../../src/eventstore/index.js';
import { createDeployment, type Deployment } from '../support/deployment.js';
import { eventually } from '../support/log.js';
import { stopDocker, stopNats, stopPostgres } from '../support/services.js';

let d: Deployment | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

const SUBMIT = 'mutation ($i: SubmitInput!) { submit(input: $i) { id } }';
const ok = { language: 'python', source: 'print(6 * 7)', expectedOutput: '42' };

describe('restarting the services under a running judge', () => {
  it('nats-server: every role reconnects and nothing submitted meanwhile is lost', async () => {
    d = await createDeployment('fn');
    const judge = await d.start('api,relay,projector,worker');
    await eventually(async () => ((await d!.gql(judge, '{ languages { id } }')).data?.languages.length ?? 0) > 0, 60_000);
    const before = (await d.gql(judge, SUBMIT, { i: ok })).data!.submit.id as string;
    expect(await d.waitFinal(judge, before)).toEqual({ status: 'JUDGED', verdict: 'ACCEPTED' });

    const startNats = await stopNats();
    // The api appends to Postgres: submitting needs no NATS.
    const during = [];
    for (let i = 0; i < 3; i++) during.push((await d.gql(judge, SUBMIT, { i: ok })).data!.submit.id as string);
    await startNats();
    const after = (await d.gql(judge, SUBMIT, { i: ok })).data!.submit.id as string;
    for (const id of [...during, after]) expect(await d.waitFinal(judge, id)).toEqual({ status: 'JUDGED', verdict: 'ACCEPTED' });
  });

  it('Postgres: the api answers a clear error while it is down (no hang), then recovers; nothing acknowledged is lost', async () => {
    d = await createDeployment('fp');
    const judge = await d.start('api,relay,projector,worker');
    await eventually(async () => ((await d!.gql(judge, '{ languages { id } }')).data?.languages.length ?? 0) > 0, 60_000);
    const acknowledged = (await d.gql(judge, SUBMIT, { i: ok })).data!.submit.id as string;

    const startPostgres = await stopPostgres();
    try {
      const started = Date.now();
      const down = await d.gql(judge, SUBMIT, { i: ok });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(down.errors?.[0]?.extensions?.code).toMatch(/INTERNAL_SERVER_ERROR|UNAUTHENTICATED/);
      const ready = await fetch(`http://127.0.0.1:${judge.port}/readyz`);
      expect(ready.status).toBe(503);
    } finally {
      await startPostgres();
    }
    await eventually(async () => (await fetch(`http://127.0.0.1:${judge.port}/readyz`)).status === 200, 60_000);
    const after = (await d.gql(judge, SUBMIT, { i: ok })).data!.submit.id as string;
    for (const id of [acknowledged, after]) expect(await d.waitFinal(judge, id)).toEqual({ status: 'JUDGED', verdict: 'ACCEPTED' });
  });

  it('dockerd: a submission in flight is retried or fails as INTERNAL_ERROR, never stuck; workers recover', async () => {
    d = await createDeployment('fd', { JUDGE_JOB_ACK_WAIT_MS: '3000' });
    const judge = await d.start('api,relay,projector,worker');
    await eventually(async () => ((await d!.gql(judge, '{ languages { id } }')).data?.languages.length ?? 0) > 0, 60_000);
    const inFlight = (await d.gql(judge, SUBMIT, { i: { language: 'python', source: 'import time\ntime.sleep(3)\nprint(42)', expectedOutput: '42' } })).data!
      .submit.id as string;
    await eventually(async () => (await d!.streamTypes(inFlight)).includes('JudgingStarted'), 60_000);
    const startDocker = await stopDocker();
    await startDocker();
    const final = await d.waitFinal(judge, inFlight, 180_000);
    expect(['JUDGED/ACCEPTED', 'FAILED/INTERNAL_ERROR']).toContain(`${final.status}/${final.verdict}`);
    const after = (await d.gql(judge, SUBMIT, { i: ok })).data!.submit.id as string;
    expect(await d.waitFinal(judge, after, 120_000)).toEqual({ status: 'JUDGED', verdict: 'ACCEPTED' });
  });
});

describe('kill -9 the projector mid-batch', () => {
  it('leaves read models equal to a fresh replay of the log', async () => {
    d = await createDeployment('fj');
    for (let s = 0; s < 400; s++) {
      const id = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
      await appendToStream(d.db.db, `submission-${id}`, 'no_stream', [
        {
          type: 'SubmissionReceived',
          data: { submissionId: id, tenant: 'admin', language: 'python', source: 'x', stdin: '', expectedOutput: null, limits: {}, idempotencyKey: null, receivedAt: new Date().toISOString() },
        },
        { type: 'JudgingStarted', data: { round: 1, worker: 'w', startedAt: 't', compiles: false } },
        { type: 'SubmissionJudged', data: { round: 1, verdict: 'ACCEPTED', timeMs: 1, memoryKb: 1, judgedAt: new Date().toISOString() } },
      ]);
    }
    const projector = await d.start('projector');
    await eventually(async () => (await d!.db.db.selectFrom('submissions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n !== '0', 30_000, 5);
    await projector.stop('SIGKILL');
    const projected = Number((await d.db.db.selectFrom('submissions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(projected).toBeLessThan(400); // it really died part-way
    await d.start('projector');
    await eventually(async () => (await readAll(d!.db.db, await loadCheckpoint(d!.db.db, PROJECTION_CHECKPOINT), 1)).events.length === 0, 60_000);
    const out = new PassThrough();
    let report = '';
    out.on('data', (c) => (report += String(c)));
    expect(await auditVerify(d.db.db, out)).toBe(0);
    expect(report).toMatch(/400 rows compared/);
  });
});
