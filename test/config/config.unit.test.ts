import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.js';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const c = parseConfig({}, 2);
    expect(c).toMatchObject({
      port: 4000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/judge',
      natsUrl: 'nats://127.0.0.1:4222',
      namespace: 'judge',
      workerSlots: 2,
      adminToken: undefined,
    });
    expect([...c.roles]).toEqual(['api', 'relay', 'projector', 'worker']);
  });

  it('takes roles as a comma list', () => {
    expect([...parseConfig({ JUDGE_ROLES: 'api, worker' }, 1).roles]).toEqual(['api', 'worker']);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['NATS_URL', 'not a url'],
    ['JUDGE_NAMESPACE', 'has.dot'],
    ['JUDGE_ROLES', 'api,cook'],
    ['JUDGE_ADMIN_TOKEN', 'short'],
    ['DOCKER_HOST', '/var/run/docker.sock'],
  ])('names %s when its value %j is bad', (name, value) => {
    let error: unknown;
    try {
      parseConfig({ [name]: value }, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as ConfigError).message.startsWith(`${name}: `)).toBe(true);
  });
});
