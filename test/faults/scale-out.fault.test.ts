import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployment, type Deployment } from '../support/deployment.js';
import { eventually } from '../support/log.js';
import type { JudgeProcess } from '../support/processes.js';

// The shape of a cluster on one machine: 2 api processes (each also a relay and projector
// candidate) and 3 workers, against one Postgres and one NATS.
let d: Deployment;
let apis: JudgeProcess[];
let workers: JudgeProcess[];

beforeAll(async () => {
  d = await createDeployment('scale', { JUDGE_JOB_ACK_WAIT_MS: '5000' });
  apis = [await d.start('api,relay,projector'), await d.start('api,relay,projector')];
  workers = [];
  for (let i = 0; i < 3; i++) workers.push(await d.start('worker', { JUDGE_WORKER_SLOTS: '1' }));
  await eventually(async () => ((await d.gql(apis[0]!, '{ languages { id } }')).data?.languages.length ?? 0) > 0, 60_000);
});
afterAll(async () => {
  await d?.stop();
});

const submitMany = async (n: number, via: JudgeProcess[]): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await d.gql(via[i % via.length]!, 'mutation ($i: SubmitInput!) { submit(input: $i) { id } }', {
      i: { language: 'python', source: 'import time\ntime.sleep(0.5)\nprint(input())', stdin: String(i), expectedOutput: String(i) },
    });
    ids.push(r.data!.submit.id as string);
  }
  return ids;
};

const active = (role: 'relay' | 'projector') => apis.filter((p) => p.child.exitCode === null && p.lines.some((l) => l.msg === `${role} active`));

describe('scale-out', () => {
  it('spreads work over the workers, with one active relay and projector', async () => {
    const ids = await submitMany(12, apis);
    for (const id of ids) expect(await d.waitFinal(apis[1]!, id)).toEqual({ status: 'JUDGED', verdict: 'ACCEPTED' });
    const starts = await d.db.db.selectFrom('events').select('data').where('type', '=', 'JudgingStarted').execute();
    const byWorker = new Map<string, number>();
    for (const s of starts) {
      const w = (s.data as { worker: string }).worker;
      byWorker.set(w, (byWorker.get(w) ?? 0) + 1);
    }
    const pids = workers.map((w) => String(w.child.pid));
    expect([...byWorker.keys()].map((w) => w.split(':')[1]).sort()).toEqual(pids.sort()); // each took a share
    expect(active('relay')).toHaveLength(1);
    expect(active('projector')).toHaveLength(1);
  });

  it('hands relay and projector over to the standby within 10 s when the active one dies', async () => {
    const leader = active('relay')[0]!;
    const standby = apis.find((p) => p !== leader)!;
    await leader.stop('SIGKILL');
    await eventually(() => standby.lines.some((l) => l.msg === 'relay active') && standby.lines.some((l) => l.msg === 'projector active'), 10_000, 100);
    const ids = await submitMany(3, [standby]);
    for (const id of ids) expect(await d.waitFinal(standby, id)).toEqual({ status: 'JUDGED', verdict: 'ACCEPTED' });
  });
});
