import type { ProblemState, SubmissionView } from '../domain/index.js';
import type { Db } from '../eventstore/index.js';

// Queries over the submissions read model, for the api.

export async function findSubmission(db: Db, id: string): Promise<SubmissionView | null> {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom('submissions').select('state').where('id', '=', id).executeTakeFirst();
  return row ? (row.state as SubmissionView) : null;
}

export interface SubmissionPageQuery {
  /** null: every tenant */
  tenant: string | null;
  problemId?: string | null;
  language?: string | null;
  status?: string | null;
  verdict?: string | null;
  first: number;
  after?: { createdAt: string; id: string } | null;
}

/** Newest first, keyset-paginated on (created_at, id). Fetches one extra row to know if more follow. */
export async function listSubmissions(db: Db, q: SubmissionPageQuery): Promise<{ items: SubmissionView[]; hasNextPage: boolean }> {
  let query = db.selectFrom('submissions').select('state');
  if (q.tenant !== null) query = query.where('tenant', '=', q.tenant);
  if (q.problemId) query = query.where('problem_id', '=', q.problemId);
  if (q.language) query = query.where('language', '=', q.language);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.verdict) query = query.where('verdict', '=', q.verdict);
  if (q.after) {
    const { createdAt, id } = q.after;
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', new Date(createdAt)), eb.and([eb('created_at', '=', new Date(createdAt)), eb('id', '<', id)])]),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.first + 1).execute();
  return { items: rows.slice(0, q.first).map((r) => r.state as SubmissionView), hasNextPage: rows.length > q.first };
}

export const isUuid = (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export async function findProblem(db: Db, id: string): Promise<ProblemState | null> {
  return (await findProblems(db, [id])).get(id) ?? null;
}

/** Several problems in one query (a page of submissions names many). */
export async function findProblems(db: Db, ids: readonly string[]): Promise<Map<string, ProblemState>> {
  const valid = [...new Set(ids.filter(isUuid))];
  if (valid.length === 0) return new Map();
  const rows = await db.selectFrom('problems').select('state').where('id', 'in', valid).execute();
  return new Map(rows.map((r) => [(r.state as ProblemState).id, r.state as ProblemState]));
}

/** Newest first, keyset-paginated on (created_at, id), like submissions. */
export async function listProblems(
  db: Db,
  q: { first: number; after?: { createdAt: string; id: string } | null },
): Promise<{ items: ProblemState[]; hasNextPage: boolean }> {
  let query = db.selectFrom('problems').select('state');
  if (q.after) {
    const createdAt = new Date(q.after.createdAt);
    const { id } = q.after;
    query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.first + 1).execute();
  return { items: rows.slice(0, q.first).map((r) => r.state as ProblemState), hasNextPage: rows.length > q.first };
}
