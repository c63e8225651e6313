import { graphql } from 'graphql';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJudgeSchema } from '../../src/api/index.js';
import { createContext } from '../../src/api/context.js';
import { decide, resolveLimits, submissionStreamId } from '../../src/domain/index.js';
import { appendToStream, readAll, START, type Database } from '../../src/eventstore/index.js';
import { projectBatch } from '../../src/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
let counted: Kysely<Database>;
let queries = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  // Two problems and twenty submissions spread over them, projected.
  const problems = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];
  for (const id of problems) {
    await appendToStream(t.db, `problem-${id}`, 'no_stream', [
      {
        type: 'ProblemCreated',
        data: { problemId: id, createdAt: new Date().toISOString(), title: id, limits: resolveLimits({}), checker: { comparison: 'WHITESPACE', custom: null }, groups: [], tests: [{ input: 'x', answer: 'y', group: null }] },
      },
    ]);
  }
  for (let i = 0; i < 20; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const events = decide(
      {
        type: 'Submit',
        data: { submissionId: id, tenant: 'admin', language: 'python', source: 'x', stdin: '', expectedOutput: null, limits: resolveLimits({}), idempotencyKey: null, receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), problemId: problems[i % 2], problemVersion: 1, maxScore: 100 },
      },
      null,
    );
    await appendToStream(t.db, submissionStreamId(id), 'no_stream', events);
  }
  const { events, cursor } = await readAll(t.db, START, 1000);
  await projectBatch(t.db, events, cursor);
  const pool = new pg.Pool({ connectionString: t.url, max: 2 });
  counted = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => void (e.level === 'query' && queries++) });
});
afterAll(async () => {
  await counted.destroy();
  await t.drop();
});

describe('resolvers batch their lookups', () => {
  it('loads a page of 20 submissions with their problems, languages and events in a handful of queries, not one per row', async () => {
    const deps = { db: counted } as Parameters<typeof createContext>[0];
    const context = createContext(deps, {} as never, {} as never, { role: 'ADMIN', tenant: 'admin', keyId: null });
    queries = 0;
    const result = await graphql({
      schema: buildJudgeSchema(),
      source: '{ submissions(first: 20) { edges { node { id problem { title testCount } language { id } events { type } } } } }',
      contextValue: context,
    });
    expect(result.errors).toBeUndefined();
    const edges = (result.data as { submissions: { edges: Array<{ node: { problem: { title: string }; events: unknown[] } }> } }).submissions.edges;
    expect(edges).toHaveLength(20);
    expect(edges.every((e) => e.node.problem !== null && e.node.events.length === 1)).toBe(true);
    // The page, the problems, the languages, the event streams: four, whatever the page size.
    expect(queries).toBeLessThanOrEqual(4);
  });
});
