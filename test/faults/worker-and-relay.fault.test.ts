import { jetstreamManager } from '@nats-io/jetstream';
import { afterEach, describe, expect, it } from 'vitest';
import { busNames, connectBus } from '../../src/bus/index.js';
import { appendToStream, loadCheckpoint, readAll, START } from '../../src/eventstore/index.js';
import { RELAY_CHECKPOINT } from '../../src/relay/index.js';
import { createDeployment, type Deployment } from '../support/deployment.js';
import { eventually } from '../support/log.js';

let d: Deployment | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe('kill -9', () => {
  it('a worker mid-judging: the job is redelivered and judged exactly once', async () => {
    d = await createDeployment('fw', { JUDGE_JOB_ACK_WAIT_MS: '3000' });
    const api = await d.start('api,relay,projector');
    const first = await d.start('worker', { JUDGE_WORKER_SLOTS: '1' });
    const problem = await d.gql(api, 'mutation ($i: CreateProblemInput!) { createProblem(input: $i) { id } }', {
      i: { title: 'slow', tests: [1, 2, 3, 4].map((n) => ({ input: String(n), expectedOutput: String(n) })) },
    });
    const submitted = await d.gql(api, 'mutation ($i: SubmitInput!) { submit(input: $i) { id } }', {
      i: { problemId: problem.data!.createProblem.id, language: 'python', source: 'import time\ntime.sleep(0.8)\nprint(input())' },
    });
    const id = submitted.data!.submit.id as string;
    // Kill it once it has recorded part of the round.
    await eventually(async () => (await d!.streamTypes(id)).includes('RunFinished'), 60_000);
    await first.stop('SIGKILL');
    await d.start('worker', { JUDGE_WORKER_SLOTS: '1' });

    expect(await d.waitFinal(api, id)).toEqual({ status: 'JUDGED', verdict: 'ACCEPTED' });
    const events = await d.db.db.selectFrom('events').select(['type', 'data']).where('stream_id', '=', `submission-${id}`).orderBy('stream_version').execute();
    expect(events.filter((e) => e.type === 'SubmissionJudged')).toHaveLength(1);
    const runs = events.filter((e) => e.type === 'RunFinished').map((e) => (e.data as { index: number }).index).sort();
    expect(runs).toEqual([0, 1, 2, 3]);
  });

  it('the relay in the middle of publishing: after a restart everything is published once', async () => {
    d = await createDeployment('fr');
    // A backlog of 3,000 events (60 of them submissions) for a relay to publish.
    for (let s = 0; s < 60; s++) {
      const id = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
      await appendToStream(d.db.db, `submission-${id}`, 'no_stream', [
        {
          type: 'SubmissionReceived',
          data: { submissionId: id, tenant: 'admin', language: 'nowhere', source: 'x', stdin: '', expectedOutput: null, limits: {}, idempotencyKey: null, receivedAt: new Date().toISOString() },
        },
        ...Array.from({ length: 49 }, (_, i) => ({ type: 'Noise', data: { i } })),
      ]);
    }
    const total = (await readAll(d.db.db, START, 10_000)).events.length;
    expect(total).toBe(3000);
    const nc = await connectBus('nats://127.0.0.1:4222', 'fault-relay');
    const names = busNames(d.namespace);
    const jsm = await jetstreamManager(nc);
    const messages = (stream: string) => jsm.streams.info(stream).then((i) => i.state.messages, () => 0);
    try {
      const relay = await d.start('relay');
      await eventually(async () => (await messages(names.eventsStream)) > 0, 30_000, 5);
      await relay.stop('SIGKILL');
      const published = await messages(names.eventsStream);
      expect(published).toBeLessThan(3000); // it really died mid-way
      await d.start('relay');
      await eventually(async () => {
        const cp = await loadCheckpoint(d!.db.db, RELAY_CHECKPOINT(names));
        return (await readAll(d!.db.db, cp, 1)).events.length === 0;
      }, 60_000);
      expect(await messages(names.eventsStream)).toBe(3000);
      expect(await messages(names.jobsStream)).toBe(60);
    } finally {
      await nc.close();
    }
  });
});
