// `npm run bench -- load [count]`: a real deployment (2 api processes that are also relay and
// projector candidates, 1 worker) takes `count` submissions (default 2,000) as fast as the
// configured rate limits allow, and must judge every one exactly once. Prints queue depth as it
// rises and drains, and the api processes' peak resident memory.
import { createDeployment } from '../test/support/deployment.js';
import type { JudgeProcess } from '../test/support/processes.js';

const metric = async (p: JudgeProcess, name: string): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text();
  return Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN);
};

export async function benchLoad(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 2000);
  // Limits raised for the run (per key and global); the tenant cap still applies.
  const d = await createDeployment('load', {
    JUDGE_SUBMIT_RATE_PER_KEY: '1000000',
    JUDGE_SUBMIT_RATE_GLOBAL: '1000000',
    JUDGE_MAX_ACTIVE_PER_TENANT: String(count),
  });
  try {
    const apis = [await d.start('api,relay,projector'), await d.start('api,relay,projector')];
    await d.start('worker');
    for (;;) {
      const r = await d.gql(apis[0]!, '{ languages { id } }');
      if ((r.data?.languages.length ?? 0) > 0) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const peakRss = [0, 0];
    let peakQueue = 0;
    const samples: string[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      void (async () => {
        const queue = await metric(apis[0]!, 'judge_queue_depth').catch(() => NaN);
        const rss = await Promise.all(apis.map((p) => metric(p, 'judge_process_resident_memory_bytes').catch(() => NaN)));
        rss.forEach((r, i) => (peakRss[i] = Math.max(peakRss[i]!, r || 0)));
        if (queue > peakQueue) peakQueue = queue;
        samples.push(`${((Date.now() - started) / 1000).toFixed(0)}s:${queue}`);
      })();
    }, 1000);

    let next = 0;
    let refused = 0;
    const submitOne = async (): Promise<void> => {
      for (let i = next++; i < count; i = next++) {
        for (;;) {
          const r = await d.gql(apis[i % 2]!, 'mutation ($i: SubmitInput!) { submit(input: $i) { id } }', {
            i: { language: 'python', source: 'print(int(input()) * 2)', stdin: String(i), expectedOutput: String(2 * i), idempotencyKey: `load-${i}` },
          });
          if (!r.errors) break;
          // Over a limit: wait as told, then send the same submission again (same idempotency key).
          refused++;
          await new Promise((res) => setTimeout(res, Number(r.errors[0]!.extensions?.retryAfterMs ?? 500)));
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, submitOne));
    const submittedIn = (Date.now() - started) / 1000;
    for (;;) {
      const { n } = await d.db.db.selectFrom('submissions').select((eb) => eb.fn.countAll<string>().as('n')).where('status', 'in', ['JUDGED', 'FAILED']).executeTakeFirstOrThrow();
      if (Number(n) >= count) break;
      await new Promise((res) => setTimeout(res, 1000));
    }
    clearInterval(sampler);
    const drainedIn = (Date.now() - started) / 1000;

    const count1 = async (type: string) =>
      Number((await d.db.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('type', '=', type).executeTakeFirstOrThrow()).n);
    const rows = await d.db.db.selectFrom('submissions').select(['verdict']).execute();
    const accepted = rows.filter((r) => r.verdict === 'ACCEPTED').length;
    const received = await count1('SubmissionReceived');
    const judged = await count1('SubmissionJudged');
    const runs = await count1('RunFinished');
    const lines = [
      `load: ${count} submissions through 2 api processes, 1 worker (${process.env.JUDGE_WORKER_SLOTS ?? 'one slot per core'})`,
      `  submitted in ${submittedIn.toFixed(1)} s (${refused} refused by limits and retried), all judged in ${drainedIn.toFixed(1)} s`,
      `  received ${received}, judged ${judged}, runs ${runs}, accepted ${accepted}: ${received === count && judged === count && runs === count && accepted === count ? 'none lost, none duplicated' : 'MISMATCH'}`,
      `  queue depth peaked at ${peakQueue} and drained to 0; samples ${samples.filter((_, i) => i % 10 === 0).join(' ')}`,
      `  api peak RSS: ${peakRss.map((r) => `${(r / 1024 / 1024).toFixed(0)} MiB`).join(', ')}`,
    ];
    console.log(lines.join('\n'));
    if (received !== count || judged !== count || runs !== count) process.exitCode = 1;
  } finally {
    await d.stop();
  }
}
