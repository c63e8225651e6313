import type { Db } from './database.js';
import { readAll } from './read-all.js';
import type { Cursor, RecordedEvent } from './types.js';
import type { AppendWaker } from './wake.js';

export interface TailOptions {
  from: Cursor;
  batchSize?: number;
  /** longest wait between reads when nothing is appended */
  idleMs?: number;
  signal: AbortSignal;
  /** handles one batch; the tail moves on only after it resolves */
  handle: (events: RecordedEvent[], cursor: Cursor) => Promise<void>;
  onError?: (error: unknown) => void;
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
      await handle(batch.events, batch.cursor);
      cursor = batch.cursor;
    } catch (error) {
      // Postgres or the handler's target is down: retry the same batch after a pause.
      options.onError?.(error);
      await waker.wait(1000, signal);
    }
  }
}
