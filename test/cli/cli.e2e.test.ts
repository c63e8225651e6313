import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestJudge, type TestJudge } from '../support/judge.js';
import { eventually } from '../support/log.js';

let j: TestJudge;
const dir = mkdtempSync(join(tmpdir(), 'cli-'));

/** Runs `npm run judge -- …` as the operator would (from the sources), against the test judge. */
function judgeCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, JUDGE_URL: j.url, JUDGE_TOKEN: j.token, DATABASE_URL: j.db.url, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  j = await startTestJudge('cli');
  await eventually(async () => ((await j.gql<{ languages: unknown[] }>('{ languages { id } }')).body.data?.languages.length ?? 0) >= 4, 60_000);
});
afterAll(async () => {
  await j?.stop();
});

describe('judge CLI', () => {
  it('prints help, and refuses an unknown command with exit code 2', async () => {
    const help = await judgeCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/audit verify/);
    expect(help.stdout).toMatch(/submit <file>/);
    const bad = await judgeCli(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('creates a key, submits with it and watches the verdict live, then revokes it', async () => {
    const created = await judgeCli(['keys', 'create', 'acme', 'submitter']);
    expect(created.code).toBe(0);
    const token = /token \(shown once\): (\S+)/.exec(created.stdout)![1]!;
    const id = /^key ([0-9a-f-]{36}) \(SUBMITTER for acme\)/m.exec(created.stdout)![1]!;

    const source = join(dir, 'sum.py');
    writeFileSync(source, 'print(sum(map(int, input().split())))\n');
    const stdin = join(dir, 'in.txt');
    writeFileSync(stdin, '20 22\n');
    const ok = await judgeCli(['submit', source, '--stdin', stdin, '--watch'], { JUDGE_TOKEN: token });
    expect(ok.stdout).toMatch(/^submitted [0-9a-f-]{36}: QUEUED/m);
    expect(ok.stdout).toMatch(/^JUDGED ACCEPTED, .*tests AC$/m);
    expect(ok.stdout).toMatch(/stdout:\n42\n/);
    expect(ok.code).toBe(0);

    const broken = join(dir, 'broken.c');
    writeFileSync(broken, 'int main( {');
    const ce = await judgeCli(['submit', broken, '--watch'], { JUDGE_TOKEN: token });
    expect(ce.stdout).toMatch(/JUDGED COMPILATION_ERROR/);
    expect(ce.stdout).toMatch(/compiler output:\n.*error/s);
    expect(ce.code).toBe(1);

    const revoked = await judgeCli(['keys', 'revoke', id]);
    expect(revoked.stdout).toMatch(new RegExp(`key ${id} revoked at `));
    const refused = await judgeCli(['submit', source], { JUDGE_TOKEN: token });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/UNAUTHENTICATED/);
  });
});
