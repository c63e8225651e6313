import { chainHash, type Db } from '../eventstore/index.js';

export interface ChainBreak {
  eventId: string;
  streamId: string;
  version: number;
  reason: string;
}

/**
 * Walks every stream in version order and recomputes each event's hash from its content and the
 * previous event's stored hash. An edited event no longer matches its hash; one whose hash was
 * recomputed by the editor breaks the link of the event after it. Gaps in versions are breaks too.
 */
export async function verifyHashChains(
  db: Db,
  onProgress?: (events: number) => void,
): Promise<{ events: number; streams: number; breaks: ChainBreak[] }> {
  const breaks: ChainBreak[] = [];
  let events = 0;
  let streams = 0;
  let previous: { streamId: string; version: number; hash: string } | null = null;
  let after: { streamId: string; version: number } | null = null;
  for (;;) {
    let query = db.selectFrom('events').select(['event_id', 'stream_id', 'stream_version', 'type', 'data', 'hash']);
    if (after) {
      const { streamId, version } = after;
      query = query.where((eb) =>
        eb.or([eb('stream_id', '>', streamId), eb.and([eb('stream_id', '=', streamId), eb('stream_version', '>', version)])]),
      );
    }
    const rows = await query.orderBy('stream_id').orderBy('stream_version').limit(2000).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const sameStream: boolean = previous?.streamId === row.stream_id;
      if (!sameStream) streams++;
      const expectedVersion: number = sameStream ? previous!.version + 1 : 1;
      const prevHash: string | null = sameStream ? previous!.hash : null;
      if (row.stream_version !== expectedVersion) {
        breaks.push({ eventId: row.event_id, streamId: row.stream_id, version: row.stream_version, reason: `expected version ${expectedVersion}` });
      } else if (chainHash(prevHash, { type: row.type, version: row.stream_version, data: row.data }) !== row.hash) {
        breaks.push({ eventId: row.event_id, streamId: row.stream_id, version: row.stream_version, reason: 'hash does not match the event and the chain before it' });
      }
      previous = { streamId: row.stream_id, version: row.stream_version, hash: row.hash };
    }
    events += rows.length;
    onProgress?.(events);
    const last = rows.at(-1)!;
    after = { streamId: last.stream_id, version: last.stream_version };
  }
  return { events, streams, breaks };
}
