import type { Selectable } from 'kysely';
import type { EventsTable } from './database.js';
import type { RecordedEvent } from './types.js';

export function toRecorded(row: Selectable<EventsTable>): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    version: row.stream_version,
    position: row.position,
    transactionId: row.transaction_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    hash: row.hash,
    recordedAt: row.recorded_at,
  };
}
