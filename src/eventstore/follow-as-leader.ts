import type { Logger } from '../log/index.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoints.js';
import type { Db } from './database.js';
import { acquireLeadership } from './leadership.js';
import { tailAll } from './tail.js';
import type { Cursor, RecordedEvent } from './types.js';
import type { AppendWaker } from './wake.js';

export interface LeaderTail {
  db: Db;
  databaseUrl: string;
  waker: AppendWaker;
  log: Logger;
  /** names the role in logs: "relay", "projector" */
  role: string;
  /** the advisory lock that makes this tailer a singleton */
  lockName: string;
  checkpointName: string;
  /**
   * Handles one batch. With `saveCheckpoint: 'after'` the checkpoint is saved once the handler
   * resolved (the relay: at-least-once, dedup downstream); with 'inside' the handler saves it
   * itself, in its own transaction (projectors: exactly-once).
   */
  saveCheckpoint: 'after' | 'inside';
  handle: (events: RecordedEvent[], cursor: Cursor, from: Cursor) => Promise<void>;
}

/**
 * Runs a singleton tailer of the global log: waits for its advisory lock (a second replica is a
 * hot standby), follows the log from its checkpoint, and starts over if the lock is lost.
 */
export async function followAsLeader(options: LeaderTail, signal: AbortSignal): Promise<void> {
  const { db, log, role } = options;
  while (!signal.aborted) {
    const leadership = await acquireLeadership(options.databaseUrl, options.lockName, signal);
    if (!leadership) return;
    log.info({ role }, `${role} active`);
    try {
      // The checkpoint read is retried like any batch (Postgres may be restarting).
      let from: Awaited<ReturnType<typeof loadCheckpoint>> | null = null;
      while (from === null && !signal.aborted) {
        from = await loadCheckpoint(db, options.checkpointName).catch(async (err: unknown) => {
          log.warn({ role, err }, `${role} cannot read its checkpoint; retrying`);
          await new Promise((r) => setTimeout(r, 1000));
          return null;
        });
      }
      if (from === null) return;
      await tailAll(db, options.waker, {
        from,
        signal: AbortSignal.any([signal, leadership.lost]),
        reload: () => loadCheckpoint(db, options.checkpointName),
        handle: async (events, cursor, from) => {
          await options.handle(events, cursor, from);
          if (options.saveCheckpoint === 'after') await saveCheckpoint(db, options.checkpointName, cursor);
        },
        onError: (err) => log.warn({ role, err }, `${role} batch failed; retrying`),
      });
    } finally {
      await leadership.release();
    }
  }
}
