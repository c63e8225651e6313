import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the judge process', () => {
  it('refuses a bad configuration value with one line naming it and exit code 2', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['judge: bad configuration: PORT: expected a whole number, got "eighty"']);
  });
});
