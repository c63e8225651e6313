import { badInput } from './errors.js';

// Opaque cursors: base64url JSON of the keyset a page continues after.

export const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeCursor<T>(cursor: string | null | undefined, valid: (v: unknown) => v is T): T | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (valid(value)) return value;
  } catch {
    // fall through
  }
  throw badInput('invalid cursor', 'after');
}

export function pageSize(first: number | null | undefined, max: number): number {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput(`first must be between 1 and ${max}`, 'first');
  return n;
}
