import { createHash, timingSafeEqual } from 'node:crypto';
import { judgeError } from './errors.js';

export type Role = 'ADMIN' | 'SUBMITTER' | 'VIEWER';

export interface Principal {
  role: Role;
  /** the tenant a submission belongs to; the admin token has its own */
  tenant: string;
}

export const ADMIN_TENANT = 'admin';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Reads `Bearer <token>` and resolves it to a principal, or fails with UNAUTHENTICATED. */
export function authenticate(authorization: string | undefined | null, adminToken: string): Principal {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw judgeError('UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer <token>)');
  // Compare digests: constant time, whatever the lengths.
  if (!timingSafeEqual(digest(match[1]), digest(adminToken))) throw judgeError('UNAUTHENTICATED', 'invalid token');
  return { role: 'ADMIN', tenant: ADMIN_TENANT };
}

export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) throw judgeError('FORBIDDEN', `requires role ${roles.join(' or ')}`);
}

/** A submission of another tenant does not exist for this principal. */
export const canSee = (principal: Principal, tenant: string): boolean =>
  principal.role === 'ADMIN' || principal.tenant === tenant;
