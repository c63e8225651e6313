import { describe, expect, it } from 'vitest';
import { decideApiKey, evolveApiKey, type ApiKeyCreated } from '../../src/domain/index.js';

const create = (tenant: string, role = 'SUBMITTER') =>
  decideApiKey({ type: 'CreateApiKey', data: { keyId: 'k', tenant, role: role as 'SUBMITTER', tokenHash: 'h', createdAt: 't' } }, null);

describe('API keys', () => {
  it('are created for a tenant and revoked once', () => {
    const [created] = create('acme-contests');
    const key = evolveApiKey(null, created as ApiKeyCreated);
    expect(key).toMatchObject({ id: 'k', tenant: 'acme-contests', revokedAt: null });
    const revoked = decideApiKey({ type: 'RevokeApiKey', data: { now: 'later' } }, key);
    const after = evolveApiKey(key, revoked[0]!);
    expect(after?.revokedAt).toBe('later');
    expect(decideApiKey({ type: 'RevokeApiKey', data: { now: 'again' } }, after)).toEqual([]);
  });

  it('refuse the admin token’s reserved tenant, malformed tenants and unknown roles', () => {
    expect(() => create('admin')).toThrow(/reserved/);
    expect(() => create('has space')).toThrow(/tenant must be/);
    expect(() => create('ok', 'ROOT')).toThrow(/role must be/);
  });
});
