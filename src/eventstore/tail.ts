import type { Db } from './database.js';
import { readAll } from './read-all.js';
import { CheckpointMoved, type Cursor, type RecordedEvent } from './types.js';
import type { AppendWaker } from './wake.js';

export interface TailOptions {
  from: Cursor;
  batchSize?: number;
  /** longest wait between reads when nothing is appended */
  idleMs?: number;
  signal: AbortSignal;
  /** handles one batch read after `from`; the tail moves on to `cursor` only after it resolves */
  handle: (events: RecordedEvent[], cursor: Cursor, from: Cursor) => Promise<void>;
  onError?: (error: unknown) => void;
  /** after a failed batch: where to resume (e.g. the stored checkpoint, if someone moved it) */
  reload?: () => Promise<Cursor>;
}

/** Follows the global log from a cursor until the signal aborts, batch by batch, in order. */
export async function tailAll(db: Db, waker: AppendWaker, options: TailOptions): Promise<void> {
  const { signal, handle } = options;
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 500;
  let cursor = options.from;
  while (!signal.aborted) {
    try {
      const batch = await readAll(db, cursor, batchSize);
      if (batch.events.length === 0) {
        await waker.wait(idleMs, signal);
        continue;
      }
      await handle(batch.events, batch.cursor, cursor);
      cursor = batch.cursor;
    } catch (error) {
      // Postgres or the handler's target is down, or the checkpoint was moved (a rebuild):
      // resume after a pause, from where the checkpoint says if we can tell.
      if (!(error instanceof CheckpointMoved)) {
        options.onError?.(error);
        await waker.wait(1000, signal);
      }
      if (options.reload) cursor = await options.reload().catch(() => cursor);
    }
  }
}
