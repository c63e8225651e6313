import { fold, submissionStreamId, type SubmissionEvent, type SubmissionState, type SubmissionView } from '../domain/index.js';
import { readStream, type RecordedEvent } from '../eventstore/index.js';
import { findLanguage } from '../languages/index.js';
import { findSubmission, isUuid } from '../projections/index.js';
import { canSee } from './auth.js';
import type { ApiContext } from './context.js';
import { notFound } from './errors.js';
import { loadProblem, problemView } from './problems.js';

/** A submission as the GraphQL `Submission` type resolves it (field resolvers fill the rest). */
export type { SubmissionView };

export const toEventView = (e: RecordedEvent) => ({
  id: e.id,
  streamId: e.streamId,
  version: e.version,
  position: e.position,
  type: e.type,
  data: e.data,
  occurredAt: e.recordedAt.toISOString(),
});

export const foldEvents = (events: readonly RecordedEvent[]): SubmissionState | null =>
  fold(events.map((e) => ({ type: e.type, data: e.data }) as SubmissionEvent));

/**
 * The submission as this principal may see it: the read model, or, when the projector has not
 * caught up with a submission that exists (just submitted), its stream folded here.
 */
export async function loadVisibleSubmission(ctx: ApiContext, id: string): Promise<SubmissionView | null> {
  let state: SubmissionView | null = await findSubmission(ctx.deps.db, id);
  if (state === null && isUuid(id)) state = foldEvents(await readStream(ctx.deps.db, submissionStreamId(id)));
  if (state === null || !canSee(ctx.principal, state.tenant)) return null;
  return state;
}

export async function requireVisibleSubmission(ctx: ApiContext, id: string): Promise<SubmissionView> {
  const state = await loadVisibleSubmission(ctx, id);
  if (!state) throw notFound(`submission ${id}`);
  return state;
}

export const submissionFields = {
  problem: async (s: SubmissionView, _: unknown, ctx: ApiContext) => {
    if (s.problemId === null) return null;
    const problem = await loadProblem(ctx, s.problemId);
    return problem ? problemView(problem) : null;
  },
  language: async (s: SubmissionView, _: unknown, ctx: ApiContext) => {
    const known = (await ctx.languages()).get(s.language);
    if (known) return known;
    // The language's workers are gone; the submission still names it.
    const spec = findLanguage(s.language);
    return {
      id: s.language,
      name: spec?.name ?? s.language,
      version: 'unavailable',
      compiled: spec?.compile !== undefined,
      sourceFileName: spec?.sourceFileName ?? 'main',
    };
  },
  tests: (s: SubmissionView) => s.tests.map((t) => ({ ...t, group: t.group ?? null, checkerMessage: t.checkerMessage ?? null })),
  events: async (s: SubmissionView, _: unknown, ctx: ApiContext) => (await ctx.streams.load(submissionStreamId(s.id))).map(toEventView),
};
