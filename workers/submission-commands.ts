import {
  decide,
  evolve,
  fold,
  submissionStreamId,
  type Submission,
  type SubmissionCommand,
  type SubmissionEvent,
} from '../src/domain/index.js';
import { ConcurrencyError, appendToStream, readStream, type Db } from '../src/eventstore/index.js';
import { timed, type Metrics } from '../src/metrics/index.js';

export async function loadSubmission(db: Db, submissionId: string): Promise<Submission> {
  const events = await readStream(db, submissionStreamId(submissionId));
  return fold(events.map((e) => ({ type: e.type, data: e.data }) as SubmissionEvent));
}

/** Decides commands one after another, each on the state the previous ones' events lead to. */
function decideAll(commands: readonly SubmissionCommand[], state: Submission): SubmissionEvent[] {
  const events: SubmissionEvent[] = [];
  let current = state;
  for (const command of commands) {
    const decided = decide(command, current);
    events.push(...decided);
    current = decided.reduce<Submission>(evolve, current);
  }
  return events;
}

/**
 * Decides commands against the submission's current state and appends the result, in one
 * append, at the version it was decided on (the last run and the verdict travel together).
 * Losing a race (another worker appended first) reloads and decides again, which for work
 * already recorded yields nothing: judging stays exactly-once.
 */
export async function handleSubmissionCommand(
  db: Db,
  submissionId: string,
  command: SubmissionCommand | readonly SubmissionCommand[],
  state: Submission,
  metrics?: Metrics,
): Promise<Submission> {
  const commands = Array.isArray(command) ? command : [command as SubmissionCommand];
  let current = state;
  for (let attempt = 0; ; attempt++) {
    const events = decideAll(commands, current);
    if (events.length === 0) return current;
    try {
      const append = appendToStream(db, submissionStreamId(submissionId), current?.version ?? 'no_stream', events);
      await (metrics ? timed(metrics.appendDuration, append) : append);
      return events.reduce<Submission>(evolve, current);
    } catch (e) {
      if (!(e instanceof ConcurrencyError) || attempt >= 5) throw e;
      current = await loadSubmission(db, submissionId);
    }
  }
}
