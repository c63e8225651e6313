import { GraphQLScalarType, Kind } from 'graphql';
import { submissionStreamId, type SubmissionView } from '../domain/index.js';
import { START, readAll, readStream } from '../eventstore/index.js';
import { listProblems, listSubmissions } from '../projections/index.js';
import { createApiKey, revokeApiKey } from './api-keys.js';
import { requireRole, type Role } from './auth.js';
import type { ApiContext } from './context.js';
import { decodeCursor, encodeCursor, pageSize } from './cursor.js';
import { badInput } from './errors.js';
import { createProblem, loadProblem, problemView, type CreateProblemArgs } from './problems.js';
import { rejudge } from './rejudge.js';
import { submit, type SubmitArgs } from './submit.js';
import { changesOf } from './view-hub.js';
import { foldEvents, loadVisibleSubmission, requireVisibleSubmission, submissionFields, toEventView } from './views.js';

const FINAL = new Set(['JUDGED', 'FAILED']);

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString()),
  parseValue: (v) => new Date(String(v)).toISOString(),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value).toISOString() : null),
});

const JSONScalar = new GraphQLScalarType({ name: 'JSON', serialize: (v) => v, parseValue: (v) => v });

// Newest-first lists continue after (created at, id).
type KeysetCursor = { t: string; id: string };
const isKeysetCursor = (v: unknown): v is KeysetCursor =>
  typeof v === 'object' && v !== null && typeof (v as KeysetCursor).t === 'string' && typeof (v as KeysetCursor).id === 'string';
type StreamCursor = { v: number };
const isStreamCursor = (v: unknown): v is StreamCursor => typeof v === 'object' && v !== null && Number.isInteger((v as StreamCursor).v);
type LogCursor = { x: string; p: string };
const isLogCursor = (v: unknown): v is LogCursor =>
  typeof v === 'object' && v !== null && /^\d+$/.test(String((v as LogCursor).x)) && /^\d+$/.test(String((v as LogCursor).p));

const streamTenantOk = async (ctx: ApiContext, streamId: string): Promise<boolean> => {
  if (ctx.principal.role === 'ADMIN') return true;
  if (streamId.startsWith('problem-')) return true; // problems are readable by every role
  const m = /^submission-(.+)$/.exec(streamId);
  return m?.[1] !== undefined && (await loadVisibleSubmission(ctx, m[1])) !== null;
};

export const resolvers = {
  DateTime,
  JSON: JSONScalar,
  Submission: submissionFields,
  Query: {
    languages: async (_: unknown, __: unknown, ctx: ApiContext) => [...(await ctx.languages()).values()],
    problem: async (_: unknown, args: { id: string }, ctx: ApiContext) => {
      const p = await loadProblem(ctx, args.id);
      return p ? problemView(p) : null;
    },
    problems: async (_: unknown, args: { first?: number; after?: string | null }, ctx: ApiContext) => {
      const after = decodeCursor(args.after, isKeysetCursor);
      const page = await listProblems(ctx.deps.db, { first: pageSize(args.first, 100), after: after ? { createdAt: after.t, id: after.id } : null });
      const edges = page.items.map((p) => ({ node: problemView(p), cursor: encodeCursor({ t: p.createdAt, id: p.id }) }));
      return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    submission: (_: unknown, args: { id: string }, ctx: ApiContext) => loadVisibleSubmission(ctx, args.id),
    submissions: async (
      _: unknown,
      args: { filter?: { problemId?: string; language?: string; status?: string; verdict?: string } | null; first?: number; after?: string | null },
      ctx: ApiContext,
    ) => {
      const first = pageSize(args.first, 100);
      const after = decodeCursor(args.after, isKeysetCursor);
      const page = await listSubmissions(ctx.deps.db, {
        tenant: ctx.principal.role === 'ADMIN' ? null : ctx.principal.tenant,
        problemId: args.filter?.problemId ?? null,
        language: args.filter?.language ?? null,
        status: args.filter?.status ?? null,
        verdict: args.filter?.verdict ?? null,
        first,
        after: after ? { createdAt: after.t, id: after.id } : null,
      });
      const edges = page.items.map((node) => ({ node, cursor: encodeCursor({ t: node.createdAt, id: node.id }) }));
      return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    events: async (_: unknown, args: { streamId?: string | null; after?: string | null; first?: number }, ctx: ApiContext) => {
      const first = pageSize(args.first ?? 100, 1000);
      if (args.streamId) {
        if (!(await streamTenantOk(ctx, args.streamId))) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
        const after = decodeCursor(args.after, isStreamCursor)?.v ?? 0;
        const events = (await readStream(ctx.deps.db, args.streamId)).filter((e) => e.version > after);
        const page = events.slice(0, first);
        const edges = page.map((e) => ({ node: toEventView(e), cursor: encodeCursor({ v: e.version }) }));
        return { edges, pageInfo: { hasNextPage: events.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
      }
      // The global log spans every tenant: operators only.
      requireRole(ctx.principal, 'ADMIN');
      const after = decodeCursor(args.after, isLogCursor);
      const { events } = await readAll(
        ctx.deps.db,
        after ? { transactionId: after.x, position: after.p } : START,
        first + 1,
      );
      const edges = events
        .slice(0, first)
        .map((e) => ({ node: toEventView(e), cursor: encodeCursor({ x: e.transactionId, p: e.position }) }));
      return { edges, pageInfo: { hasNextPage: events.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    submissionAt: async (_: unknown, args: { id: string; version: number }, ctx: ApiContext) => {
      const current = await loadVisibleSubmission(ctx, args.id);
      if (!current) return null;
      if (!Number.isInteger(args.version) || args.version < 1) throw badInput('version must be 1 or more', 'version');
      if (args.version > current.version) throw badInput(`the stream stands at version ${current.version}`, 'version');
      // The same pure fold the projector uses, stopped at the asked version.
      return foldEvents(await readStream(ctx.deps.db, submissionStreamId(args.id), { toVersion: args.version }));
    },
  },
  Mutation: {
    submit: (_: unknown, args: { input: SubmitArgs }, ctx: ApiContext) => submit(ctx, args.input),
    createProblem: (_: unknown, args: { input: CreateProblemArgs }, ctx: ApiContext) => createProblem(ctx, args.input),
    rejudge: (_: unknown, args: { id: string }, ctx: ApiContext) => rejudge(ctx, args.id),
    createApiKey: (_: unknown, args: { tenant: string; role: Role }, ctx: ApiContext) => createApiKey(ctx, args.tenant, args.role),
    revokeApiKey: (_: unknown, args: { id: string }, ctx: ApiContext) => revokeApiKey(ctx, args.id),
  },
  Subscription: {
    submissionUpdated: {
      // Listen before reading the current view, so no change between the two is missed.
      subscribe: async (_: unknown, args: { id: string }, ctx: ApiContext) => {
        const changes = changesOf(ctx.hub, args.id);
        let first: SubmissionView;
        try {
          first = await requireVisibleSubmission(ctx, args.id);
        } catch (e) {
          await changes.return?.();
          throw e;
        }
        return (async function* () {
          try {
            let version = first.version;
            yield { submissionUpdated: first };
            for await (const change of changes) {
              if (change.version <= version) continue;
              // A subscription's context lives as long as it: forget what the last push loaded.
              ctx.problems.clearAll();
              ctx.streams.clearAll();
              const next = await loadVisibleSubmission(ctx, args.id);
              if (!next || next.version <= version) continue;
              version = next.version;
              yield { submissionUpdated: next };
            }
          } finally {
            await changes.return?.();
          }
        })();
      },
    },
    verdicts: {
      subscribe: (_: unknown, args: { problemId?: string | null }, ctx: ApiContext) => {
        const changes = changesOf(ctx.hub, null);
        return (async function* () {
          try {
            for await (const change of changes) {
              if (!FINAL.has(change.status)) continue;
              ctx.problems.clearAll();
              ctx.streams.clearAll();
              const s = await loadVisibleSubmission(ctx, change.submissionId);
              if (!s || !FINAL.has(s.status)) continue;
              if ((args.problemId ?? null) !== null && s.problemId !== args.problemId) continue;
              yield { verdicts: s };
            }
          } finally {
            await changes.return?.();
          }
        })();
      },
    },
  },
};

