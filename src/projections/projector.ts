import type { NatsConnection } from '@nats-io/transport-node';
import { encodeJson, type BusNames, type ViewChanged } from '../bus/index.js';
import type { SubmissionState } from '../domain/index.js';
import {
  CheckpointMoved,
  followAsLeader,
  lockCheckpoint,
  sameCursor,
  saveCheckpoint,
  type LeaderTail,
  type Cursor,
  type Db,
  type RecordedEvent,
} from '../eventstore/index.js';
import { projectApiKeys } from './api-keys.js';
import { projectProblems } from './problems.js';
import { projectSubmissions } from './submissions.js';

/** A singleton tailer of the log (see followAsLeader) that talks to NATS. */
export type ProjectorDeps = Pick<LeaderTail, 'db' | 'databaseUrl' | 'waker' | 'log'> & {
  nc: NatsConnection;
  names: BusNames;
  onProjected?: (count: number) => void;
};

export const PROJECTION_CHECKPOINT = 'projection:read-models';

/**
 * Folds a batch of events into the read models (submissions, problems, API keys). Rows and checkpoint are
 * written in one transaction: a crash leaves both as they were, so no event is counted twice or
 * lost. With `from`, the batch applies only if the checkpoint still stands there (a rebuild may
 * have moved it). Returns the changed submission views, to announce after commit.
 */
export async function projectBatch(
  db: Db,
  events: RecordedEvent[],
  cursor: Cursor,
  from?: Cursor,
): Promise<{ submissions: SubmissionState[]; revokedKeys: string[] }> {
  return db.transaction().execute(async (tx) => {
    const stored = await lockCheckpoint(tx, PROJECTION_CHECKPOINT);
    if (from && !sameCursor(stored, from)) throw new CheckpointMoved(PROJECTION_CHECKPOINT);
    const revokedKeys = await projectApiKeys(tx, events);
    await projectProblems(tx, events);
    const submissions = await projectSubmissions(tx, events);
    await saveCheckpoint(tx, PROJECTION_CHECKPOINT, cursor);
    return { submissions, revokedKeys };
  });
}

/** Runs the projector until `signal` aborts; a standby waits for the lock. */
export async function runProjector(deps: ProjectorDeps, signal: AbortSignal): Promise<void> {
  await followAsLeader(
    {
      ...deps,
      role: 'projector',
      lockName: `projector:${deps.names.namespace}`,
      checkpointName: PROJECTION_CHECKPOINT,
      saveCheckpoint: 'inside',
      handle: async (events, cursor, from) => {
        const changed = await projectBatch(deps.db, events, cursor, from);
        // After commit: a subscriber that reads on this note finds the new view.
        for (const s of changed.submissions) {
          const note: ViewChanged = { submissionId: s.id, version: s.version, status: s.status };
          deps.nc.publish(deps.names.viewSubject(s.id), encodeJson(note));
        }
        // Api processes end the open subscriptions of a revoked key.
        for (const keyId of changed.revokedKeys) deps.nc.publish(deps.names.keyRevokedSubject, encodeJson({ keyId }));
        deps.onProjected?.(events.length);
      },
    },
    signal,
  );
}
