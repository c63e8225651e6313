import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, RetentionPolicy, jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { BusNames } from './names.js';

const DEDUP_WINDOW_MS = 10 * 60_000;

async function ensureStream(nc: NatsConnection, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (e) {
    if ((e as { name?: string }).name !== 'StreamNotFoundError' && !/not found/i.test(String(e))) throw e;
    await jsm.streams.add(config);
  }
}

/**
 * The two streams. The dedup window is what makes a relay crash between publish and checkpoint
 * harmless: the republished copy carries the same msgID and is dropped.
 */
export async function ensureStreams(nc: NatsConnection, names: BusNames): Promise<void> {
  await ensureStream(nc, {
    name: names.eventsStream,
    subjects: [`${names.namespace}.events.>`],
    retention: RetentionPolicy.Limits,
    max_age: nanos(7 * 24 * 3600_000),
    duplicate_window: nanos(DEDUP_WINDOW_MS),
  });
  await ensureStream(nc, {
    name: names.jobsStream,
    subjects: [`${names.namespace}.jobs.>`],
    retention: RetentionPolicy.Workqueue,
    duplicate_window: nanos(DEDUP_WINDOW_MS),
  });
}

export interface WorkerConsumerOptions {
  /** jobs a worker process may hold at once, summed over the processes sharing the consumer */
  maxAckPending: number;
  /** a job not acked (nor marked in progress) for this long is redelivered */
  ackWaitMs: number;
}

/** The durable pull consumer all workers share (one filter subject: nats-server 2.9). */
export async function ensureWorkerConsumer(nc: NatsConnection, names: BusNames, options: WorkerConsumerOptions): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    durable_name: names.workersConsumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${names.namespace}.jobs.>`,
    ack_wait: nanos(options.ackWaitMs),
    // Unlimited here: the worker gives up on a job itself (JudgingFailed) and only once it could
    // record that, so an outage of Postgres never leaves a job undelivered and its submission stuck.
    max_deliver: -1,
    max_ack_pending: options.maxAckPending,
  };
  try {
    await jsm.consumers.info(names.jobsStream, names.workersConsumer);
    await jsm.consumers.update(names.jobsStream, names.workersConsumer, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
    });
  } catch (e) {
    if (!/not found/i.test(String(e))) throw e;
    await jsm.consumers.add(names.jobsStream, config);
  }
}

/** Removes a namespace's streams (tests clean up after themselves). */
export async function deleteStreams(nc: NatsConnection, names: BusNames): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const name of [names.eventsStream, names.jobsStream]) {
    await jsm.streams.delete(name).catch(() => false);
  }
}
