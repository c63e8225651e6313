import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { encodeJson, ensureStreams, type BusNames, type JudgeJob } from '../bus/index.js';
import { followAsLeader, type LeaderTail, type RecordedEvent } from '../eventstore/index.js';
import type { RejudgeRequested, SubmissionReceived } from '../domain/index.js';

/** A singleton tailer of the log (see followAsLeader) that talks to NATS. */
export type RelayDeps = Pick<LeaderTail, 'db' | 'databaseUrl' | 'waker' | 'log'> & {
  nc: NatsConnection;
  names: BusNames;
  /** observes each published batch (metrics) */
  onPublished?: (count: number) => void;
};

export const RELAY_CHECKPOINT = (names: BusNames): string => `relay:${names.namespace}`;

/** The job a submission event opens, if it opens one. */
export function jobFor(event: RecordedEvent): JudgeJob | null {
  if (event.type === 'SubmissionReceived') {
    const data = event.data as SubmissionReceived['data'];
    return { submissionId: data.submissionId, round: 1, language: data.language };
  }
  if (event.type === 'RejudgeRequested') {
    const data = event.data as RejudgeRequested['data'];
    return { submissionId: event.streamId.slice('submission-'.length), round: data.round, language: data.language };
  }
  return null;
}

/**
 * Publishes the event log to JetStream, in log order: every event (as an envelope: id, stream,
 * version, type) to the events stream and a
 * job for each event that opens a judging round. The checkpoint is saved only after JetStream
 * acknowledged the batch; a crash in between republishes the batch, and the msgID (the event
 * id) makes JetStream drop the copies.
 */
async function publishBatch(deps: RelayDeps, events: RecordedEvent[]): Promise<void> {
  const js = jetstream(deps.nc);
  const acks: Promise<unknown>[] = [];
  for (const event of events) {
    // The fact without its payload: data can be megabytes (sources, outputs), more than a NATS
    // message may carry; subscribers read the payload from Postgres, the record.
    const envelope = {
      id: event.id,
      streamId: event.streamId,
      version: event.version,
      position: event.position,
      type: event.type,
      recordedAt: event.recordedAt.toISOString(),
    };
    acks.push(js.publish(deps.names.eventSubject(event.streamId, event.type), encodeJson(envelope), { msgID: event.id }));
    const job = jobFor(event);
    if (job) {
      acks.push(js.publish(deps.names.jobSubject(job.language), encodeJson(job), { msgID: `job-${event.id}` }));
    }
  }
  // Sent in order on one connection, so the stream keeps log order; awaited together.
  await Promise.all(acks);
}

/** Runs the relay until `signal` aborts; a standby replica waits for the advisory lock. */
export async function runRelay(deps: RelayDeps, signal: AbortSignal): Promise<void> {
  await ensureStreams(deps.nc, deps.names);
  await followAsLeader(
    {
      ...deps,
      role: 'relay',
      lockName: RELAY_CHECKPOINT(deps.names),
      checkpointName: RELAY_CHECKPOINT(deps.names),
      saveCheckpoint: 'after',
      handle: async (events) => {
        await publishBatch(deps, events);
        deps.onPublished?.(events.length);
      },
    },
    signal,
  );
}
