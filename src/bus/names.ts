// Every JetStream stream, subject and consumer carries the deployment's namespace, so several
// deployments (or test runs) share one NATS without seeing each other.

export interface BusNames {
  namespace: string;
  /** mirror of every event, for fan-out (limits retention) */
  eventsStream: string;
  /** judging jobs, a work queue */
  jobsStream: string;
  workersConsumer: string;
  eventSubject(streamId: string, type: string): string;
  jobSubject(language: string): string;
  /** core NATS: the projector says a submission's view changed */
  viewSubject(submissionId: string): string;
  /** core NATS: an API key was revoked */
  keyRevokedSubject: string;
}

export function busNames(namespace: string): BusNames {
  const upper = namespace.toUpperCase();
  return {
    namespace,
    eventsStream: `${upper}_EVENTS`,
    jobsStream: `${upper}_JOBS`,
    workersConsumer: `${namespace}_workers`,
    eventSubject: (streamId, type) => {
      // "submission-<id>" → judge.events.submission.<id>.<Type>
      const dash = streamId.indexOf('-');
      const kind = dash > 0 ? streamId.slice(0, dash) : streamId;
      const id = dash > 0 ? streamId.slice(dash + 1) : '_';
      return `${namespace}.events.${token(kind)}.${token(id)}.${token(type)}`;
    },
    jobSubject: (language) => `${namespace}.jobs.${token(language)}`,
    viewSubject: (submissionId) => `${namespace}.views.submission.${token(submissionId)}`,
    keyRevokedSubject: `${namespace}.keys.revoked`,
  };
}

// A subject token may not hold dots, wildcards or white space.
const token = (s: string): string => s.replace(/[.*>\s]/g, '_') || '_';
