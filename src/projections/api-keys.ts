import { evolveApiKey, type ApiKeyEvent, type ApiKeyState } from '../domain/index.js';
import type { Selectable } from 'kysely';
import { isUuid } from './read.js';
import type { Database, Db, RecordedEvent } from '../eventstore/index.js';

const toState = (r: Selectable<Database['api_keys']>): ApiKeyState => ({
  id: r.id,
  tenant: r.tenant,
  role: r.role as ApiKeyState['role'],
  tokenHash: r.token_hash,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

const PREFIX = 'apikey-';

/** Folds API key events into the api_keys read model; returns the keys revoked in this batch. */
export async function projectApiKeys(tx: Db, events: readonly RecordedEvent[]): Promise<string[]> {
  const relevant = events.filter((e) => e.streamId.startsWith(PREFIX));
  if (relevant.length === 0) return [];
  const ids = [...new Set(relevant.map((e) => e.streamId.slice(PREFIX.length)))];
  const rows = await tx.selectFrom('api_keys').selectAll().where('id', 'in', ids).execute();
  const states = new Map(rows.map((r) => [r.id, toState(r)]));
  const revoked: string[] = [];
  for (const event of relevant) {
    const id = event.streamId.slice(PREFIX.length);
    const before = states.get(id) ?? null;
    // Key events are idempotent by nature: creating an existing row or revoking twice is a no-op.
    if (event.type === 'ApiKeyCreated' && before) continue;
    const after = evolveApiKey(before, { type: event.type, data: event.data } as ApiKeyEvent);
    if (!after) continue;
    if (after.revokedAt && !before?.revokedAt) revoked.push(id);
    states.set(id, after);
    const row = { id, tenant: after.tenant, role: after.role, token_hash: after.tokenHash, created_at: after.createdAt, revoked_at: after.revokedAt };
    await tx.insertInto('api_keys').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ revoked_at: row.revoked_at })).execute();
  }
  return revoked;
}

export async function findApiKeyByTokenHash(db: Db, tokenHash: string): Promise<ApiKeyState | null> {
  const r = await db.selectFrom('api_keys').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return r ? toState(r) : null;
}

export async function findApiKey(db: Db, id: string): Promise<ApiKeyState | null> {
  if (!isUuid(id)) return null;
  const r = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toState(r) : null;
}
