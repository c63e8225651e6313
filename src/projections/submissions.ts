import { evolve, type SubmissionEvent, type SubmissionState } from '../domain/index.js';
import type { Db, RecordedEvent } from '../eventstore/index.js';

const PREFIX = 'submission-';

// Folding needs no request: evolve only carries it along (see upsertStates).
async function loadStates(db: Db, ids: string[]): Promise<Map<string, SubmissionState>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('submissions').select(['id', 'state']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.state as SubmissionState]));
}

/** One statement for the whole batch: a rebuild folds thousands of submissions per batch. */
async function upsertStates(db: Db, states: SubmissionState[]): Promise<void> {
  if (states.length === 0) return;
  const rows = states.map((s) => ({
    id: s.id,
    tenant: s.tenant,
    language: s.language,
    problem_id: s.problemId,
    status: s.status,
    verdict: s.verdict,
    round: s.round,
    version: s.version,
    created_at: s.createdAt,
    judged_at: s.judgedAt,
    // The request (source, stdin, expected output: up to megabytes) stays in the log; the API
    // never shows it, and every page and subscription push would carry it.
    state: JSON.stringify({ ...s, request: undefined }),
  }));
  await db
    .insertInto('submissions')
    .values(rows)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        verdict: eb.ref('excluded.verdict'),
        round: eb.ref('excluded.round'),
        version: eb.ref('excluded.version'),
        judged_at: eb.ref('excluded.judged_at'),
        state: eb.ref('excluded.state'),
      })),
    )
    .execute();
}

/**
 * Folds the submission events of a batch into the submissions read model (inside the caller's
 * transaction). Returns the views that changed.
 */
export async function projectSubmissions(tx: Db, events: readonly RecordedEvent[]): Promise<SubmissionState[]> {
  const relevant = events.filter((e) => e.streamId.startsWith(PREFIX));
  if (relevant.length === 0) return [];
  const ids = [...new Set(relevant.map((e) => e.streamId.slice(PREFIX.length)))];
  const states = await loadStates(tx, ids);
  const changed = new Map<string, SubmissionState>();
  for (const event of relevant) {
    const id = event.streamId.slice(PREFIX.length);
    const before = states.get(id) ?? null;
    // An event already folded (a rebuild racing the live projector) is a no-op.
    if (before && event.version <= before.version) continue;
    const after = evolve(before, { type: event.type, data: event.data } as SubmissionEvent);
    if (after) {
      states.set(id, after);
      changed.set(id, after);
    }
  }
  await upsertStates(tx, [...changed.values()]);
  return [...changed.values()];
}
