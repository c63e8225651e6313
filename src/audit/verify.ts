import { sql } from 'kysely';
import { START, lockCheckpoint, type Db } from '../eventstore/index.js';
import { PROJECTION_CHECKPOINT, createScratch, replayInto } from '../projections/index.js';
import { verifyHashChains, type ChainBreak } from './hash-chains.js';

export interface ReadModelMismatch {
  table: (typeof READ_MODELS)[number];
  id: string;
  /** which side has the row: both (they differ), only the replay, or only the live model */
  kind: 'differs' | 'missing-live' | 'extra-live';
}

const READ_MODELS = ['submissions', 'problems', 'api_keys'] as const;

export interface AuditReport {
  events: number;
  streams: number;
  chainBreaks: ChainBreak[];
  replayedEvents: number;
  rowsCompared: number;
  mismatches: ReadModelMismatch[];
  ok: boolean;
}

export type AuditProgress = (stage: 'hash-chains' | 'replay', events: number) => void;

/**
 * Proves the read models and the log agree: verifies every hash chain, replays the whole log
 * into scratch tables with the projector's own fold, and compares them row by row with the live
 * read models at the same log position (holding the projection's checkpoint lock meanwhile, so
 * the live projector waits a moment rather than moving under the comparison).
 */
export async function verifyAudit(db: Db, onProgress?: AuditProgress): Promise<AuditReport> {
  const chains = await verifyHashChains(db, (n) => onProgress?.('hash-chains', n));
  const scratch = await createScratch(db);
  try {
    const live = await db.selectFrom('checkpoints').select(['transaction_id', 'position']).where('name', '=', PROJECTION_CHECKPOINT).executeTakeFirst();
    const first = await replayInto(db, scratch, START, {
      until: live ? { transactionId: live.transaction_id, position: live.position } : START,
      onProgress: (n) => onProgress?.('replay', n),
    });
    return await db.transaction().execute(async (tx) => {
      const at = await lockCheckpoint(tx, PROJECTION_CHECKPOINT);
      const rest = await replayInto(db, scratch, first.cursor, { until: at });
      const mismatches: ReadModelMismatch[] = [];
      let rowsCompared = 0;
      for (const table of READ_MODELS) {
        const { rows } = await sql<{ id: string; kind: ReadModelMismatch['kind']; compared: string }>`
          SELECT coalesce(r.id, l.id)::text AS id,
                 CASE WHEN l.id IS NULL THEN 'missing-live' WHEN r.id IS NULL THEN 'extra-live' ELSE 'differs' END AS kind
          FROM ${sql.id(scratch.schema, table)} r
          FULL OUTER JOIN ${sql.id('public', table)} l ON l.id = r.id
          WHERE r.id IS NULL OR l.id IS NULL OR to_jsonb(r.*) IS DISTINCT FROM to_jsonb(l.*)
          ORDER BY 1`.execute(tx);
        mismatches.push(...rows.map((r) => ({ table, id: r.id, kind: r.kind })));
        const count = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.id('public', table)}`.execute(tx);
        rowsCompared += Number(count.rows[0]?.n ?? 0);
      }
      return {
        events: chains.events,
        streams: chains.streams,
        chainBreaks: chains.breaks,
        replayedEvents: first.events + rest.events,
        rowsCompared,
        mismatches,
        ok: chains.breaks.length === 0 && mismatches.length === 0,
      };
    });
  } finally {
    await scratch.drop();
  }
}
