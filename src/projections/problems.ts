import { evolveProblem, type ProblemEvent, type ProblemState } from '../domain/index.js';
import type { Db, RecordedEvent } from '../eventstore/index.js';

const PREFIX = 'problem-';

/** Folds problem events of a batch into the problems read model (inside the caller's transaction). */
export async function projectProblems(tx: Db, events: readonly RecordedEvent[]): Promise<void> {
  const relevant = events.filter((e) => e.streamId.startsWith(PREFIX));
  if (relevant.length === 0) return;
  const ids = [...new Set(relevant.map((e) => e.streamId.slice(PREFIX.length)))];
  const rows = await tx.selectFrom('problems').select(['id', 'state']).where('id', 'in', ids).execute();
  const states = new Map(rows.map((r) => [r.id, r.state as ProblemState & { streamVersion: number }]));
  const changed = new Set<string>();
  for (const event of relevant) {
    const id = event.streamId.slice(PREFIX.length);
    const before = states.get(id) ?? null;
    if (before && event.version <= before.streamVersion) continue; // already folded
    const after = evolveProblem(before, { type: event.type, data: event.data } as ProblemEvent);
    if (after) {
      states.set(id, { ...after, streamVersion: event.version });
      changed.add(id);
    }
  }
  for (const id of changed) {
    const s = states.get(id)!;
    const row = { id, title: s.title, version: s.version, test_count: s.tests.length, created_at: s.createdAt, state: JSON.stringify(s) };
    await tx
      .insertInto('problems')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, id: undefined }))
      .execute();
  }
}
