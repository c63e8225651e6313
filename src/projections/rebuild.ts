import { sql } from 'kysely';
import { START, lockCheckpoint, saveCheckpoint, type Db } from '../eventstore/index.js';
import { PROJECTION_CHECKPOINT } from './projector.js';
import { createScratch, replayInto } from './scratch.js';

/**
 * Rebuilds the read models from position zero while the judge runs: replays the whole log into
 * scratch tables, then, holding the projection's checkpoint lock (the live projector waits),
 * catches up with what arrived meanwhile and swaps the rows in one transaction. The projector
 * notices its checkpoint moved and continues from the rebuilt position.
 */
export async function rebuildReadModels(db: Db, onProgress?: (events: number) => void): Promise<{ events: number }> {
  const scratch = await createScratch(db);
  try {
    const first = await replayInto(db, scratch, START, { onProgress });
    return await db.transaction().execute(async (tx) => {
      await lockCheckpoint(tx, PROJECTION_CHECKPOINT);
      const rest = await replayInto(db, scratch, first.cursor);
      for (const table of ['submissions', 'problems', 'api_keys'] as const) {
        await sql`DELETE FROM ${sql.id('public', table)}`.execute(tx);
        await sql`INSERT INTO ${sql.id('public', table)} SELECT * FROM ${sql.id(scratch.schema, table)}`.execute(tx);
      }
      await saveCheckpoint(tx, PROJECTION_CHECKPOINT, rest.cursor);
      return { events: first.events + rest.events };
    });
  } finally {
    await scratch.drop();
  }
}
