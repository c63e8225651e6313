import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemImport } from '../../src/cli/problem-commands.js';
import { createClient } from '../../src/client/index.js';
import { readPackageFiles } from '../../src/problem-packages/index.js';
import { startTestJudge, type TestJudge } from '../support/judge.js';
import { eventually } from '../support/log.js';

const ADD = 'test/fixtures/packages/add';
let j: TestJudge;

beforeAll(async () => {
  j = await startTestJudge('icpc');
  await eventually(async () => ((await j.gql<{ languages: unknown[] }>('{ languages { id } }')).body.data?.languages.length ?? 0) >= 4, 60_000);
});
afterAll(async () => {
  await j?.stop();
});

/** Zips a folder the way `zip -r pkg.zip add/` would: everything under one top folder. */
function zipFolder(folder: string): string {
  const entries: Record<string, Uint8Array> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else entries[`add/${relative(folder, path)}`] = new Uint8Array(readFileSync(path));
    }
  };
  walk(folder);
  const file = join(mkdtempSync(join(tmpdir(), 'pkg-')), 'add.zip');
  writeFileSync(file, zipSync(entries));
  return file;
}

async function runImport(path: string, verify: boolean): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += String(c)));
  const code = await problemImport(createClient(j.url, j.token), path, { timeLimitSeconds: 1, verify }, out);
  return { code, text };
}

describe('problem import', () => {
  it('reads a zip with one top folder the same as the folder', async () => {
    const fromZip = await readPackageFiles(zipFolder(ADD));
    const fromDir = await readPackageFiles(ADD);
    expect([...fromZip.keys()].sort()).toEqual([...fromDir.keys()].sort());
    expect(fromZip.get('problem.yaml')).toEqual(fromDir.get('problem.yaml'));
  });

  it('imports a package and verifies every submission gets the verdict its folder names', async () => {
    const { code, text } = await runImport(ADD, true);
    expect(text).toMatch(/imported "Add Two Numbers" as problem [0-9a-f-]{36}: 4 tests; groups sample \(0 pts, 1 tests\), large \(60 pts, 1 tests\), small \(40 pts, 2 tests\)/);
    for (const line of [
      'OK   submissions/accepted/add.c: ACCEPTED',
      'OK   submissions/accepted/add.py: ACCEPTED',
      'OK   submissions/run_time_error/crash.py: RUNTIME_ERROR',
      'OK   submissions/time_limit_exceeded/spin.py: TIME_LIMIT_EXCEEDED',
      'OK   submissions/wrong_answer/subtract.c: WRONG_ANSWER',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('verify: 5 passed, 0 failed');
    expect(code).toBe(0);
    const id = /as problem ([0-9a-f-]{36})/.exec(text)![1]!;
    const p = await j.gql<{ problem: { title: string; testCount: number; limits: { timeMs: number; memoryKb: number } } }>(
      'query ($id: ID!) { problem(id: $id) { title testCount limits { timeMs memoryKb } } }',
      { id },
    );
    expect(p.body.data!.problem).toEqual({ title: 'Add Two Numbers', testCount: 4, limits: { timeMs: 1000, memoryKb: 131072 } });
  });

  it('reports a submission whose verdict differs and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pkg-'));
    const files = await readPackageFiles(ADD);
    files.set('submissions/accepted/add.py', Buffer.from('print(0)\n')); // claims accepted, is not
    for (const [path, content] of files) {
      const target = join(dir, path);
      await import('node:fs/promises').then((fs) => fs.mkdir(join(target, '..'), { recursive: true }).then(() => fs.writeFile(target, content)));
    }
    const { code, text } = await runImport(dir, true);
    expect(text).toContain('FAIL submissions/accepted/add.py: WRONG_ANSWER (expected ACCEPTED)');
    expect(text).toContain('verify: 4 passed, 1 failed');
    expect(code).toBe(1);
  });

  it('imports a custom output validator and judges with it', async () => {
    const { code, text } = await runImport('test/fixtures/packages/roughly', true);
    expect(text).toContain('OK   submissions/accepted/near.py: ACCEPTED');
    expect(text).toContain('OK   submissions/wrong_answer/far.py: WRONG_ANSWER');
    expect(code).toBe(0);
  });

  it('compiles a C++ validator with the header beside it', async () => {
    const { code, text } = await runImport('test/fixtures/packages/exact-cpp', true);
    expect(text).toContain('OK   submissions/accepted/square.py: ACCEPTED');
    expect(text).toContain('OK   submissions/wrong_answer/nine.py: WRONG_ANSWER');
    expect(code).toBe(0);
  });

  it('refuses an interactive problem with a clear message and creates nothing', async () => {
    const problems = () => j.db.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('type', '=', 'ProblemCreated').executeTakeFirstOrThrow();
    const before = await problems();
    await expect(runImport('test/fixtures/packages/interactive', false)).rejects.toThrow(/interactive problems are not supported/);
    const after = await problems();
    expect(after.n).toBe(before.n);
  });
});
