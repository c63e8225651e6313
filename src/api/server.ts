import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { decodeJson } from '../bus/index.js';
import { handleOps } from '../ops/index.js';
import { AbuseLimits } from './abuse-limits.js';
import { authenticate, type Principal } from './auth.js';
import { createContext, type ApiContext, type ApiDeps } from './context.js';
import { formatJudgeError } from './graphql-errors.js';
import { handleGraphQLHttp, sendJson } from './http.js';
import { QUERY_LIMITS, queryLimitRules, validateWithLimits } from './query-limits.js';
import { buildJudgeSchema } from './schema.js';
import { ViewHub } from './view-hub.js';

export interface RunningApi {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** The api role: GraphQL over HTTP and graphql-ws on one server and path, plus health checks. */
export async function startApi(deps: ApiDeps, port: number): Promise<RunningApi> {
  const schema = buildJudgeSchema();
  const formatError = formatJudgeError(deps.log);
  const hub = new ViewHub(deps.nc, deps.names, (n) => deps.ops.metrics.openSubscriptions.set(n));
  hub.start();
  const limits = new AbuseLimits(deps.databaseUrl, deps.abuseLimits);
  // A failed authentication spends the client IP's budget of unauthenticated requests.
  const principalOf = async (authorization: string | undefined, ip: string | undefined): Promise<Principal> => {
    try {
      return await authenticate(authorization, deps.adminToken, deps.db);
    } catch (e) {
      await limits.failedAuthentication(ip ?? 'unknown');
      throw e;
    }
  };

  const apollo = new ApolloServer<ApiContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: queryLimitRules,
    parseOptions: { maxTokens: QUERY_LIMITS.tokens },
  });
  await apollo.start();

  const { metrics } = deps.ops;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const end = metrics.httpDuration.startTimer({ route: path === '/graphql' ? path : 'other' });
    res.once('finish', () => end({ status: String(res.statusCode) }));
    if (handleOps(deps.ops, req, res)) return;
    if (path !== '/graphql') return sendJson(res, 404, { error: 'not found; the API is at /graphql' });
    handleGraphQLHttp(apollo, req, res, async () =>
      createContext(deps, hub, limits, await principalOf(req.headers.authorization, req.socket.remoteAddress)),
    ).catch((err: unknown) => {
      deps.log.error({ err }, 'http request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  // Client messages are small (subscribe requests); a huge frame is refused by ws itself.
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 1024 * 1024 });
  const mask = (errors: readonly GraphQLError[] | readonly GraphQLFormattedError[]): GraphQLFormattedError[] =>
    errors.map((e) => formatError('toJSON' in e ? e.toJSON() : e, e));
  const byKey = new Map<string, Set<WebSocket>>();
  const revocations = deps.nc.subscribe(deps.names.keyRevokedSubject, {
    // A revoked key's open connections end, with the same code as a bad token.
    callback: (_err, msg) => {
      let keyId: string;
      try {
        ({ keyId } = decodeJson<{ keyId: string }>(msg.data));
      } catch {
        return;
      }
      for (const socket of byKey.get(keyId) ?? []) socket.close(4403, 'Forbidden: key revoked');
      byKey.delete(keyId);
    },
  });
  const ws = useServer<{ authorization?: string }, { principal?: Principal }>(
    {
      schema,
      validate: validateWithLimits,
      // A missing or bad token: the connection closes with 4403 Forbidden.
      onConnect: async (ctx) => {
        try {
          const principal = await principalOf(ctx.connectionParams?.authorization, ctx.extra.request.socket.remoteAddress);
          ctx.extra.principal = principal;
          if (principal.keyId) {
            const { keyId } = principal;
            const sockets = byKey.get(keyId) ?? new Set<WebSocket>();
            byKey.set(keyId, sockets.add(ctx.extra.socket));
            ctx.extra.socket.once('close', () => {
              sockets.delete(ctx.extra.socket);
              if (sockets.size === 0 && byKey.get(keyId) === sockets) byKey.delete(keyId);
            });
          }
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => createContext(deps, hub, limits, ctx.extra.principal!),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: mask(result.errors) } : result),
      onError: (_ctx, _id, _payload, errors) => mask(errors),
    },
    wss,
  );

  await new Promise<void>((resolve) => server.listen(port, resolve));
  const actualPort = (server.address() as AddressInfo).port;
  deps.log.info({ role: 'api', port: actualPort }, 'api listening on /graphql');
  return {
    port: actualPort,
    server,
    close: async () => {
      hub.stop();
      revocations.unsubscribe();
      await ws.dispose(); // completes subscriptions and closes sockets with 1001 Going away
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      await limits.close();
    },
  };
}
