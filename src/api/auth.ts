import { createHash, timingSafeEqual } from 'node:crypto';
import { RESERVED_TENANT, type Role } from '../domain/index.js';
import type { Db } from '../eventstore/index.js';
import { findApiKeyByTokenHash } from '../projections/index.js';
import { judgeError } from './errors.js';

export type { Role };

export interface Principal {
  role: Role;
  /** the tenant a submission belongs to; the admin token has its own */
  tenant: string;
  /** null for the bootstrap admin token (JUDGE_ADMIN_TOKEN) */
  keyId: string | null;
}

export const ADMIN_TENANT = RESERVED_TENANT;

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Reads `Bearer <token>` and resolves it to a principal: the admin token, or an API key that
 * exists and is not revoked. Anything else is UNAUTHENTICATED.
 */
export async function authenticate(authorization: string | undefined | null, adminToken: string, db: Db): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw judgeError('UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer <token>)');
  const hash = tokenHash(match[1]);
  // Compare digests: constant time, whatever the lengths.
  if (timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(tokenHash(adminToken), 'hex'))) {
    return { role: 'ADMIN', tenant: ADMIN_TENANT, keyId: null };
  }
  const key = await findApiKeyByTokenHash(db, hash);
  if (!key || key.revokedAt !== null) throw judgeError('UNAUTHENTICATED', 'invalid or revoked token');
  return { role: key.role, tenant: key.tenant, keyId: key.id };
}

export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) throw judgeError('FORBIDDEN', `requires role ${roles.join(' or ')}`);
}

/** A submission of another tenant does not exist for this principal. */
export const canSee = (principal: Principal, tenant: string): boolean =>
  principal.role === 'ADMIN' || principal.tenant === tenant;
