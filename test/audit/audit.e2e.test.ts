import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify, projectionsRebuild } from '../../src/cli/database-commands.js';
import { startTestJudge, type TestJudge } from '../support/judge.js';
import { eventually } from '../support/log.js';

let j: TestJudge;
const ids: string[] = [];

const judged = (id: string) =>
  eventually(async () => {
    const r = await j.gql<{ submission: { status: string; verdict: string } }>('query ($id: ID!) { submission(id: $id) { status verdict } }', { id });
    return r.body.data?.submission.status === 'JUDGED' ? r.body.data.submission : null;
  }, 60_000);

async function submit(source: string, expectedOutput: string): Promise<string> {
  const r = await j.gql<{ submit: { id: string } }>('mutation ($i: SubmitInput!) { submit(input: $i) { id } }', {
    i: { language: 'python', source, expectedOutput },
  });
  ids.push(r.body.data!.submit.id);
  await judged(r.body.data!.submit.id);
  return r.body.data!.submit.id;
}

/** Runs an audit in-process, returning its exit code and printed report. */
async function audit(): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += String(c)));
  const code = await auditVerify(j.db.db, out);
  return { code, text };
}

beforeAll(async () => {
  j = await startTestJudge('audit');
  await eventually(async () => ((await j.gql<{ languages: unknown[] }>('{ languages { id } }')).body.data?.languages.length ?? 0) >= 4, 60_000);
  const problem = await j.gql<{ createProblem: { id: string } }>('mutation ($i: CreateProblemInput!) { createProblem(input: $i) { id } }', {
    i: { title: 'Audited', tests: [{ input: '3', expectedOutput: '9' }] },
  });
  await j.gql('mutation ($i: SubmitInput!) { submit(input: $i) { id } }', {
    i: { problemId: problem.body.data!.createProblem.id, language: 'python', source: 'print(int(input())**2)' },
  });
  await submit('print(1)', '1');
  await submit('print(2)', '1');
});
afterAll(async () => {
  await j?.stop();
});

describe('audit and rebuild', () => {
  it('verifies an untouched log and read models', async () => {
    const { code, text } = await audit();
    expect(text).toMatch(/hash chains: intact/);
    expect(text).toMatch(/0 mismatched/);
    expect(text).toMatch(/audit: OK/);
    expect(code).toBe(0);
  });

  it('rebuilds the read models while the judge runs, and the judge carries on', async () => {
    const before = await j.db.db.selectFrom('submissions').select(['id', 'state']).orderBy('id').execute();
    const out = new PassThrough();
    expect(await projectionsRebuild(j.db.db, out)).toBe(0);
    const after = await j.db.db.selectFrom('submissions').select(['id', 'state']).orderBy('id').execute();
    expect(after).toEqual(before);
    // The live projector noticed its checkpoint moved and goes on projecting new work.
    const id = await submit('print(3)', '3');
    expect((await judged(id)).verdict).toBe('ACCEPTED');
    expect((await audit()).code).toBe(0);
  });

  it('names a read model row that disagrees with the log', async () => {
    const wrong = ids[1]!; // the wrong answer
    await sql`UPDATE submissions SET state = jsonb_set(state, '{verdict}', '"ACCEPTED"'), verdict = 'ACCEPTED' WHERE id = ${wrong}`.execute(j.db.db);
    const { code, text } = await audit();
    expect(code).toBe(1);
    expect(text).toContain(`MISMATCH submissions ${wrong}: differs`);
    // A rebuild repairs it from the log.
    await projectionsRebuild(j.db.db, new PassThrough());
    expect((await audit()).code).toBe(0);
  });

  it('catches an edited event with the real command, naming it', async () => {
    const victim = ids[0]!;
    const edited = await sql<{ event_id: string }>`
      UPDATE events SET data = jsonb_set(data, '{source}', '"print(42)"')
      WHERE stream_id = ${`submission-${victim}`} AND stream_version = 1 RETURNING event_id::text`.execute(j.db.db);
    const eventId = edited.rows[0]!.event_id;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'audit', 'verify'], {
      env: { ...process.env, DATABASE_URL: j.db.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stdout).toContain(`BROKEN submission-${victim} version 1 (event ${eventId})`);
    expect(result.stdout).toMatch(/audit: FAILED/);
    expect(result.status).toBe(1);
  });
});
