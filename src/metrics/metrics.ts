import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// One registry per judge instance (tests start several in one process). Names follow
// Prometheus conventions: judge_ prefix, _total for counters, _seconds for durations.

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'judge_' });
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, labelNames: string[] = []) =>
    new Histogram({ name, help, labelNames, buckets: DURATION_BUCKETS, registers: [registry] });
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    submissionsReceived: counter('judge_submissions_received_total', 'Submissions accepted by the api', ['language']),
    submissionsJudged: counter('judge_submissions_judged_total', 'Judging rounds finished by workers', ['language', 'verdict']),
    compileDuration: histogram('judge_compile_duration_seconds', 'Compile wall time in the sandbox', ['language']),
    runDuration: histogram('judge_run_duration_seconds', 'Wall time of one test run in the sandbox', ['language']),
    workerSlots: gauge('judge_worker_slots', 'Sandbox slots of this worker', ['state']),
    appendDuration: histogram('judge_event_append_duration_seconds', 'Time to append events to the store'),
    eventsPublished: counter('judge_relay_events_published_total', 'Events the relay published to JetStream'),
    eventsProjected: counter('judge_projector_events_total', 'Events the projector folded'),
    httpDuration: histogram('judge_http_request_duration_seconds', 'HTTP request duration', ['route', 'status']),
    openSubscriptions: gauge('judge_open_subscriptions', 'graphql-ws subscriptions open on this api process'),
    queueDepth: gauge('judge_queue_depth', 'Jobs waiting or in progress in JetStream (pending + unacknowledged)'),
    relayLag: gauge('judge_relay_lag_events', 'Events the relay has not published yet'),
    projectorLag: gauge('judge_projector_lag_events', 'Events the projector has not folded yet'),
  };
}

/** Times a promise into a histogram (seconds), whatever its outcome. */
export async function timed<T>(histogram: Histogram, work: Promise<T>, labels: Record<string, string> = {}): Promise<T> {
  const end = histogram.startTimer(labels);
  try {
    return await work;
  } finally {
    end();
  }
}
