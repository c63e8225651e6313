import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The production deployment: validated with Debian's docker-compose (images cannot be pulled
// here, so it is checked, not started).
const compose = (env: Record<string, string>) =>
  spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { env: { ...process.env, ...env }, encoding: 'utf8' });

describe('docker-compose.yml', () => {
  it('is a valid compose file with postgres, nats, api and worker', () => {
    const result = compose({ JUDGE_ADMIN_TOKEN: 'a-long-enough-admin-token' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const config = parse(result.stdout) as { services: Record<string, { environment?: Record<string, string>; volumes?: unknown[]; command?: string[] }> };
    expect(Object.keys(config.services).sort()).toEqual(['api', 'nats', 'postgres', 'worker']);
    expect(config.services.nats!.command).toContain('-js');
    expect(config.services.api!.environment).toMatchObject({ JUDGE_ROLES: 'api,relay,projector', JUDGE_ADMIN_TOKEN: 'a-long-enough-admin-token' });
    expect(config.services.worker!.environment).toMatchObject({ JUDGE_ROLES: 'worker' });
    expect(JSON.stringify(config.services.worker!.volumes)).toContain('/var/run/docker.sock');
    // Only the worker gets the Docker socket.
    expect(JSON.stringify(config.services.api!.volumes ?? [])).not.toContain('docker.sock');
  });

  it('refuses to start without an admin token', () => {
    const result = compose({ JUDGE_ADMIN_TOKEN: '' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/JUDGE_ADMIN_TOKEN/);
  });
});
