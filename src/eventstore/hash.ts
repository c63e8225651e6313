import { createHash } from 'node:crypto';

// Canonical JSON: object keys sorted, no white space. jsonb reorders keys, so the hash must not
// depend on the order a writer happened to use.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The link of one event in its stream's hash chain. */
export function chainHash(previousHash: string | null, event: { type: string; version: number; data: unknown }): string {
  return createHash('sha256')
    .update(canonicalJson({ type: event.type, version: event.version, data: event.data, previous: previousHash }))
    .digest('hex');
}
