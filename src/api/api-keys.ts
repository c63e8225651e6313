import { randomBytes, randomUUID } from 'node:crypto';
import { ApiKeyRuleError, apiKeyStreamId, decideApiKey, evolveApiKey, type ApiKeyEvent, type ApiKeyState, type Role } from '../domain/index.js';
import { appendToStream, readStream } from '../eventstore/index.js';
import { findApiKey, isUuid } from '../projections/index.js';
import { requireRole, tokenHash } from './auth.js';
import type { ApiContext } from './context.js';
import { badInput, notFound } from './errors.js';

const apiKeyView = (k: ApiKeyState) => ({ id: k.id, tenant: k.tenant, role: k.role, createdAt: k.createdAt, revokedAt: k.revokedAt });

const foldKey = (events: ReadonlyArray<{ type: string; data: unknown }>): ApiKeyState | null =>
  events.reduce<ApiKeyState | null>((s, e) => evolveApiKey(s, e as ApiKeyEvent), null);

/**
 * Authentication reads the projected api_keys table; answer only once the projector has folded
 * the change, so the new token works (or the revoked one fails) as soon as the caller has the
 * answer. If the projector is down, give up waiting after a few seconds.
 */
async function awaitProjected(ctx: ApiContext, id: string, done: (k: ApiKeyState | null) => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done(await findApiKey(ctx.deps.db, id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

export async function createApiKey(ctx: ApiContext, tenant: string, role: Role) {
  requireRole(ctx.principal, 'ADMIN');
  const keyId = randomUUID();
  // The token is shown once; the log and the read model keep only its hash.
  const token = `judge_${randomBytes(30).toString('base64url')}`;
  let events: ApiKeyEvent[];
  try {
    events = decideApiKey({ type: 'CreateApiKey', data: { keyId, tenant, role, tokenHash: tokenHash(token), createdAt: new Date().toISOString() } }, null);
  } catch (e) {
    if (e instanceof ApiKeyRuleError) throw badInput(e.message, e.field);
    throw e;
  }
  const recorded = await appendToStream(ctx.deps.db, apiKeyStreamId(keyId), 'no_stream', events);
  await awaitProjected(ctx, keyId, (k) => k !== null);
  return { apiKey: apiKeyView(foldKey(recorded)!), token };
}

export async function revokeApiKey(ctx: ApiContext, id: string) {
  requireRole(ctx.principal, 'ADMIN');
  if (!isUuid(id)) throw notFound(`api key ${id}`);
  const stream = await readStream(ctx.deps.db, apiKeyStreamId(id));
  const state = foldKey(stream);
  if (!state) throw notFound(`api key ${id}`);
  const events = decideApiKey({ type: 'RevokeApiKey', data: { now: new Date().toISOString() } }, state);
  if (events.length === 0) return apiKeyView(state);
  await appendToStream(ctx.deps.db, apiKeyStreamId(id), stream.length, events);
  await awaitProjected(ctx, id, (k) => k?.revokedAt != null);
  return apiKeyView(events.reduce<ApiKeyState | null>(evolveApiKey, state)!);
}
