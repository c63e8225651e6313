// API keys as events: who may do what for which tenant, and when that ended. The token itself
// never enters the log; its sha256 does.

export type Role = 'ADMIN' | 'SUBMITTER' | 'VIEWER';
export const ROLES: readonly Role[] = ['ADMIN', 'SUBMITTER', 'VIEWER'];

export interface ApiKeyCreated {
  type: 'ApiKeyCreated';
  data: { keyId: string; tenant: string; role: Role; tokenHash: string; createdAt: string };
}

export interface ApiKeyRevoked {
  type: 'ApiKeyRevoked';
  data: { revokedAt: string };
}

export type ApiKeyEvent = ApiKeyCreated | ApiKeyRevoked;

export interface ApiKeyState {
  id: string;
  tenant: string;
  role: Role;
  tokenHash: string;
  createdAt: string;
  revokedAt: string | null;
}

export const apiKeyStreamId = (keyId: string): string => `apikey-${keyId}`;

export class ApiKeyRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyRuleError';
  }
}

export function evolveApiKey(state: ApiKeyState | null, event: ApiKeyEvent): ApiKeyState | null {
  switch (event.type) {
    case 'ApiKeyCreated': {
      const { keyId, ...rest } = event.data;
      return { id: keyId, ...rest, revokedAt: null };
    }
    case 'ApiKeyRevoked':
      return state && { ...state, revokedAt: state.revokedAt ?? event.data.revokedAt };
  }
}

export type ApiKeyCommand =
  | { type: 'CreateApiKey'; data: ApiKeyCreated['data'] }
  | { type: 'RevokeApiKey'; data: { now: string } };

/** Tenants name contest sites: short, and safe to show in logs and labels. */
const TENANT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const RESERVED_TENANT = 'admin';

export function decideApiKey(command: ApiKeyCommand, state: ApiKeyState | null): ApiKeyEvent[] {
  switch (command.type) {
    case 'CreateApiKey':
      if (state) throw new ApiKeyRuleError('id', 'the key exists already');
      // The bootstrap admin token's own tenant: a key of it would read the admin's submissions.
      if (command.data.tenant === RESERVED_TENANT) throw new ApiKeyRuleError('tenant', `tenant "${RESERVED_TENANT}" is reserved`);
      if (!TENANT.test(command.data.tenant)) {
        throw new ApiKeyRuleError('tenant', 'tenant must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit');
      }
      if (!ROLES.includes(command.data.role)) throw new ApiKeyRuleError('role', `role must be one of ${ROLES.join(', ')}`);
      return [{ type: 'ApiKeyCreated', data: command.data }];
    case 'RevokeApiKey':
      if (!state) throw new ApiKeyRuleError('id', 'no such key');
      // Revoking twice changes nothing.
      return state.revokedAt ? [] : [{ type: 'ApiKeyRevoked', data: { revokedAt: command.data.now } }];
  }
}
