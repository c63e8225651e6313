import { createHash, randomUUID } from 'node:crypto';
import { LimitError, decide, maxScore, resolveLimits, submissionStreamId, type SubmissionState } from '../domain/index.js';
import { ConcurrencyError, appendToStream, readStream } from '../eventstore/index.js';
import { timed } from '../metrics/index.js';
import { requireRole } from './auth.js';
import type { ApiContext } from './context.js';
import { badInput, judgeError, notFound } from './errors.js';
import { loadProblem } from './problems.js';
import { foldEvents } from './views.js';

export const MAX_SOURCE_BYTES = 256 * 1024;
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

export interface SubmitArgs {
  problemId?: string | null;
  language: string;
  source: string;
  stdin?: string | null;
  expectedOutput?: string | null;
  limits?: Record<string, number | null> | null;
  idempotencyKey?: string | null;
}

// The same idempotency key from the same tenant always names the same submission, so a retried
// submit finds the stream already there instead of creating a second one.
const idFor = (tenant: string, key: string | null): string => {
  if (key === null) return randomUUID();
  const h = createHash('sha256').update(`${tenant}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
};

function checkText(name: string, text: string, maxBytes: number): void {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw badInput(`${name} is larger than ${maxBytes} bytes`, name);
  if (text.includes('\u0000')) throw badInput(`${name} must not contain NUL characters`, name);
}

/** Validates a submit and appends SubmissionReceived; answers the view as of that event. */
export async function submit(ctx: ApiContext, input: SubmitArgs): Promise<SubmissionState> {
  requireRole(ctx.principal, 'ADMIN', 'SUBMITTER');
  const problemId = input.problemId ?? null;
  const problem = problemId === null ? null : await loadProblem(ctx, problemId);
  if (problemId !== null && !problem) throw notFound(`problem ${problemId}`);
  if (problem) {
    for (const field of ['stdin', 'expectedOutput', 'limits'] as const) {
      if (input[field] !== undefined && input[field] !== null) {
        throw badInput(`${field} is for ad-hoc runs only; a problem brings its own tests and limits`, field);
      }
    }
  }
  if (!(await ctx.languages()).has(input.language)) {
    const known = [...(await ctx.languages()).keys()].join(', ') || 'none: no worker has registered yet';
    throw badInput(`unknown language "${input.language}" (available: ${known})`, 'language');
  }
  if (input.source.trim() === '') throw badInput('source is empty', 'source');
  checkText('source', input.source, MAX_SOURCE_BYTES);
  checkText('stdin', input.stdin ?? '', MAX_STDIN_BYTES);
  checkText('expectedOutput', input.expectedOutput ?? '', MAX_STDIN_BYTES);
  let limits;
  try {
    limits = problem ? problem.limits : resolveLimits(input.limits);
  } catch (e) {
    if (e instanceof LimitError) throw badInput(e.message, `limits.${e.field}`);
    throw e;
  }
  const key = input.idempotencyKey ?? null;
  if (key !== null && (key.length === 0 || key.length > 200)) throw badInput('idempotencyKey must be 1..200 characters', 'idempotencyKey');

  await ctx.limits.admitSubmission(ctx.deps.db, ctx.principal);
  const id = idFor(ctx.principal.tenant, key);
  const events = decide(
    {
      type: 'Submit',
      data: {
        submissionId: id,
        tenant: ctx.principal.tenant,
        language: input.language,
        source: input.source,
        stdin: input.stdin ?? '',
        expectedOutput: input.expectedOutput ?? null,
        limits,
        idempotencyKey: key,
        receivedAt: new Date().toISOString(),
        problemId: problem?.id ?? null,
        problemVersion: problem?.version ?? null,
        maxScore: problem ? maxScore(problem) : null,
      },
    },
    null,
  );
  try {
    const recorded = await timed(ctx.deps.ops.metrics.appendDuration, appendToStream(ctx.deps.db, submissionStreamId(id), 'no_stream', events));
    ctx.deps.ops.metrics.submissionsReceived.inc({ language: input.language });
    ctx.deps.log.info({ submissionId: id, round: 1, tenant: ctx.principal.tenant, language: input.language, problemId }, 'submission received');
    return foldEvents(recorded)!;
  } catch (e) {
    if (!(e instanceof ConcurrencyError) || key === null) throw e;
    // A retry with the same key: answer the submission it created, as it stands now.
    const existing = foldEvents(await readStream(ctx.deps.db, submissionStreamId(id)));
    if (!existing) throw judgeError('CONFLICT', 'idempotency key is being used concurrently; retry');
    return existing;
  }
}
