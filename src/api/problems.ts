import { randomUUID } from 'node:crypto';
import {
  LimitError,
  ProblemRuleError,
  decideCreateProblem,
  problemStreamId,
  resolveLimits,
  type Comparison,
  type ProblemEvent,
  type ProblemState,
} from '../domain/index.js';
import { appendToStream, putBlobs } from '../eventstore/index.js';
import { findLanguage } from '../languages/index.js';
import { requireRole } from './auth.js';
import { foldProblem, type ApiContext } from './context.js';
import { badInput } from './errors.js';

/** Checker languages: those a checker can be written in (compiled or run in the sandbox). */
export const CHECKER_LANGUAGES = ['c', 'cpp', 'python'];
const MAX_TESTS = 1000;

export interface CreateProblemArgs {
  title: string;
  limits?: Record<string, number | null> | null;
  checker?: {
    comparison?: Comparison | null;
    floatAbsTolerance?: number | null;
    floatRelTolerance?: number | null;
    custom?: { language: string; source: string; files?: Array<{ name: string; content: string }> | null } | null;
  } | null;
  groups?: Array<{ name: string; points: number; dependsOn?: string[] | null }> | null;
  tests: Array<{ input: string; expectedOutput: string; group?: string | null }>;
}

/** A problem as it stands: the read model, or its stream when the projector has not caught up. */
export const loadProblem = (ctx: ApiContext, id: string): Promise<ProblemState | null> => ctx.problems.load(id);

export const problemView = (p: ProblemState) => ({
  id: p.id,
  title: p.title,
  limits: p.limits,
  testCount: p.tests.length,
  version: p.version,
  createdAt: p.createdAt,
});

/** Stores the test data as blobs, then appends ProblemCreated (which refers to them by hash). */
export async function createProblem(ctx: ApiContext, input: CreateProblemArgs) {
  requireRole(ctx.principal, 'ADMIN');
  if (input.tests.length > MAX_TESTS) throw badInput(`at most ${MAX_TESTS} tests`, 'tests');
  let limits;
  try {
    limits = resolveLimits(input.limits);
  } catch (e) {
    if (e instanceof LimitError) throw badInput(e.message, `limits.${e.field}`);
    throw e;
  }
  const custom = input.checker?.custom ?? null;
  if (custom) {
    if (!CHECKER_LANGUAGES.includes(custom.language)) {
      throw badInput(`a custom checker must be in ${CHECKER_LANGUAGES.join(', ')}`, 'checker.custom.language');
    }
    if (custom.source.trim() === '') throw badInput('the custom checker source is empty', 'checker.custom.source');
    for (const f of custom.files ?? []) {
      if (!/^[A-Za-z0-9._-]{1,128}$/.test(f.name) || f.name.startsWith('.') || f.name === findLanguage(custom.language)?.sourceFileName) {
        throw badInput(`checker file name "${f.name}" must be a plain file name, other than the source's`, 'checker.custom.files');
      }
    }
  }
  for (const [i, t] of input.tests.entries()) {
    if (t.input.includes('\u0000') || t.expectedOutput.includes('\u0000')) throw badInput(`test ${i} contains a NUL character`, 'tests');
  }
  const data = input.tests.flatMap((t) => [t.input, t.expectedOutput]);
  const id = randomUUID();
  let events: ProblemEvent[];
  try {
    events = decideCreateProblem(
      {
        problemId: id,
        now: new Date().toISOString(),
        definition: {
          title: input.title,
          limits,
          checker: {
            comparison: input.checker?.comparison ?? 'WHITESPACE',
            floatAbsTolerance: input.checker?.floatAbsTolerance ?? null,
            floatRelTolerance: input.checker?.floatRelTolerance ?? null,
            custom: custom ? { language: custom.language, source: '' } : null,
          },
          groups: (input.groups ?? []).map((g) => ({ name: g.name, points: g.points, dependsOn: g.dependsOn ?? [] })),
          // Hashes are filled in below, once the definition is known to be valid.
          tests: input.tests.map((t) => ({ input: '', answer: '', group: t.group ?? null })),
        },
      },
      null,
    );
  } catch (e) {
    if (e instanceof ProblemRuleError) throw badInput(e.message, e.field);
    throw e;
  }
  const checkerFiles = custom?.files ?? [];
  const hashes = await putBlobs(ctx.deps.db, custom ? [...data, custom.source, ...checkerFiles.map((f) => f.content)] : data);
  const created = events[0]!;
  if (created.type !== 'ProblemCreated') throw new Error('unexpected problem event');
  created.data.tests = created.data.tests.map((t, i) => ({ ...t, input: hashes[2 * i]!, answer: hashes[2 * i + 1]! }));
  if (created.data.checker.custom) {
    created.data.checker.custom.source = hashes[data.length]!;
    if (checkerFiles.length > 0) created.data.checker.custom.files = checkerFiles.map((f, i) => ({ name: f.name, content: hashes[data.length + 1 + i]! }));
  }
  const recorded = await appendToStream(ctx.deps.db, problemStreamId(id), 'no_stream', [created]);
  return problemView(foldProblem(recorded)!);
}
