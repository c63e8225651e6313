import { decide, evolve, submissionStreamId, type SubmissionState } from '../domain/index.js';
import { ConcurrencyError, appendToStream, readStream } from '../eventstore/index.js';
import { requireRole } from './auth.js';
import type { ApiContext } from './context.js';
import { judgeError } from './errors.js';
import { foldEvents, requireVisibleSubmission } from './views.js';

/** Opens the next judging round of a submission; answers the view of the new round. */
export async function rejudge(ctx: ApiContext, id: string): Promise<SubmissionState> {
  requireRole(ctx.principal, 'ADMIN');
  await requireVisibleSubmission(ctx, id);
  // Decide on the stream itself (not the read model, which may lag) at the version it stands at.
  for (let attempt = 0; attempt < 5; attempt++) {
    const state = foldEvents(await readStream(ctx.deps.db, submissionStreamId(id)))!;
    const events = decide({ type: 'RequestRejudge', data: { reason: null, now: new Date().toISOString() } }, state);
    try {
      await appendToStream(ctx.deps.db, submissionStreamId(id), state.version, events);
      return events.reduce<SubmissionState>((s, e) => evolve(s, e)!, state);
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }
  throw judgeError('CONFLICT', 'the submission kept changing; retry the rejudge');
}
