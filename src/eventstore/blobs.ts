import { createHash } from 'node:crypto';
import type { Db } from './database.js';

export const blobHash = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** Stores contents by their sha256 (idempotent: the same content is stored once); returns the hashes in order. */
export async function putBlobs(db: Db, contents: ReadonlyArray<string | Buffer>): Promise<string[]> {
  const rows = contents.map((c) => {
    const content = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    return { hash: blobHash(content), size: content.length, content };
  });
  const unique = [...new Map(rows.map((r) => [r.hash, r])).values()];
  // In chunks: one INSERT has at most 65535 parameters.
  for (let i = 0; i < unique.length; i += 1000) {
    await db.insertInto('blobs').values(unique.slice(i, i + 1000)).onConflict((oc) => oc.column('hash').doNothing()).execute();
  }
  return rows.map((r) => r.hash);
}

/** Reads blobs by hash; a missing one is an error (the log refers to it). */
export async function getBlobs(db: Db, hashes: readonly string[]): Promise<Map<string, Buffer>> {
  const wanted = [...new Set(hashes)];
  const found = new Map<string, Buffer>();
  for (let i = 0; i < wanted.length; i += 1000) {
    const rows = await db.selectFrom('blobs').select(['hash', 'content']).where('hash', 'in', wanted.slice(i, i + 1000)).execute();
    for (const r of rows) found.set(r.hash, r.content);
  }
  const missing = wanted.filter((h) => !found.has(h));
  if (missing.length > 0) throw new Error(`blob store: ${missing.length} blob(s) missing, first ${missing[0]}`);
  return found;
}
