import type { NatsConnection } from '@nats-io/transport-node';
import { encodeJson, type BusNames, type ViewChanged } from '../bus/index.js';
import { evolve, type SubmissionEvent, type SubmissionState } from '../domain/index.js';
import { followAsLeader, saveCheckpoint, type AppendWaker, type Db, type RecordedEvent } from '../eventstore/index.js';
import type { Logger } from '../log/index.js';

const SUBMISSION_PREFIX = 'submission-';

export interface ProjectorDeps {
  db: Db;
  databaseUrl: string;
  waker: AppendWaker;
  nc: NatsConnection;
  names: BusNames;
  log: Logger;
  onProjected?: (count: number) => void;
}

const checkpointName = 'projection:submissions';

async function loadStates(db: Db, ids: string[]): Promise<Map<string, SubmissionState>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('submissions').select(['id', 'state']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.state as SubmissionState]));
}

async function upsertStates(db: Db, states: SubmissionState[]): Promise<void> {
  for (const s of states) {
    const row = {
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
      state: JSON.stringify(s),
    };
    await db
      .insertInto('submissions')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, id: undefined }))
      .execute();
  }
}

/**
 * Folds a batch of events into the submissions read model. Rows and checkpoint are written in
 * one transaction: a crash leaves both as they were, so no event is counted twice or lost.
 * Returns the changed views, to announce after commit.
 */
export async function projectSubmissions(db: Db, events: RecordedEvent[], cursor: { transactionId: string; position: string }): Promise<SubmissionState[]> {
  const relevant = events.filter((e) => e.streamId.startsWith(SUBMISSION_PREFIX));
  return db.transaction().execute(async (tx) => {
    const ids = [...new Set(relevant.map((e) => e.streamId.slice(SUBMISSION_PREFIX.length)))];
    const states = await loadStates(tx, ids);
    const changed = new Map<string, SubmissionState>();
    for (const event of relevant) {
      const id = event.streamId.slice(SUBMISSION_PREFIX.length);
      const before = states.get(id) ?? null;
      // Re-delivery of an already folded event (a rebuild racing the live projector) is a no-op.
      if (before && event.version <= before.version) continue;
      const after = evolve(before, { type: event.type, data: event.data } as SubmissionEvent);
      if (after) {
        states.set(id, after);
        changed.set(id, after);
      }
    }
    await upsertStates(tx, [...changed.values()]);
    await saveCheckpoint(tx, checkpointName, cursor);
    return [...changed.values()];
  });
}

/** Runs the submissions projector until `signal` aborts; a standby waits for the lock. */
export async function runProjector(deps: ProjectorDeps, signal: AbortSignal): Promise<void> {
  await followAsLeader(
    {
      ...deps,
      role: 'projector',
      lockName: `projector:${deps.names.namespace}`,
      checkpointName,
      saveCheckpoint: 'inside',
      handle: async (events, cursor) => {
        const changed = await projectSubmissions(deps.db, events, cursor);
        // After commit: a subscriber that reads on this note finds the new view.
        for (const s of changed) {
          const note: ViewChanged = { submissionId: s.id, version: s.version, status: s.status };
          deps.nc.publish(deps.names.viewSubject(s.id), encodeJson(note));
        }
        deps.onProjected?.(events.length);
      },
    },
    signal,
  );
}
