// `npm run bench -- sandbox [--runs=N]`: what one test costs in the sandbox, against running the
// same binary directly and against a fresh hardened container per test, all on one image
// (judge-runtime-gcc), in one run. Figures go to the README's performance section.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { findLanguage, runtimeImage, type LanguageSpec } from '../src/languages/index.js';
import { createSandboxPool, openSandbox, removeLeftoverSandboxes, type Sandbox, type SandboxLimits } from '../src/sandbox/index.js';
import { ensureDocker, ensureRuntimeImages } from '../scripts/setup-docker.mjs';
import { runInFreshContainer } from './fresh-container.js';
import { ms, ratio, summarize, timed } from './stats.js';

const SOURCE = '#include <stdio.h>\nint main(void){ long x; if (scanf("%ld", &x) != 1) return 1; printf("%ld\\n", 2 * x); return 0; }\n';
const LIMITS: SandboxLimits = { timeMs: 2000, wallTimeMs: 5000, memoryKb: 256 * 1024, outputKb: 8 * 1024, processes: 64 };
const TESTS = 10;
const ROUNDS = 3;

export async function benchSandbox(args: string[]): Promise<void> {
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 50);
  const docker = new Docker();
  await ensureDocker(() => {});
  await ensureRuntimeImages(() => {}, { runtimes: ['gcc'] });
  const namespace = `bench_${randomBytes(3).toString('hex')}`;
  const c = findLanguage('c')!;
  const image = runtimeImage('gcc');
  const pool = createSandboxPool({ docker, namespace, size: 1, runtimes: ['gcc'] });
  const dir = mkdtempSync(join(tmpdir(), 'judge-bench-'));
  try {
    await pool.ready();
    const binary = await buildBinary(pool.acquire.bind(pool), c);
    const local = join(dir, 'main');
    writeFileSync(local, binary);
    chmodSync(local, 0o755);

    // Per run: the same binary, the same input.
    const direct: number[] = [];
    for (let i = 0; i < runs; i++) direct.push((await timed(() => spawnOnce(local, String(i))))[1]);

    const sandbox = await pool.acquire({ language: c, source: SOURCE, limits: LIMITS });
    await sandbox.compile();
    await sandbox.run('0', LIMITS); // sizes the container for the run limits once
    const viaSandbox: number[] = [];
    const programWall: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [r, took] = await timed(() => sandbox.run(String(i), LIMITS));
      if (r.stdout !== `${2 * i}\n`) throw new Error(`sandbox run ${i}: unexpected output ${JSON.stringify(r.stdout)}`);
      viaSandbox.push(took);
      programWall.push(r.wallTimeMs);
    }
    await sandbox.close();

    const freshRuns = Math.min(runs, 10);
    const fresh: number[] = [];
    for (let i = 0; i < freshRuns; i++) {
      const [out, took] = await timed(() => runInFreshContainer(docker, image, namespace, binary, String(i)));
      if (out !== `${2 * i}\n`) throw new Error(`fresh container run ${i}: unexpected output ${JSON.stringify(out)}`);
      fresh.push(took);
    }

    // A whole submission of TESTS tests, compile included, ROUNDS times each.
    const pooled: number[] = [];
    const pooledClose: number[] = [];
    const unpooled: number[] = [];
    const freshSubmission: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await pool.ready();
      const [sb, took] = await timed(async () => submission(await pool.acquire({ language: c, source: SOURCE, limits: LIMITS })));
      pooled.push(took);
      pooledClose.push((await timed(() => sb.close()))[1]);
      const [sb2, took2] = await timed(async () => submission(await openSandbox({ docker, namespace, language: c, source: SOURCE, limits: LIMITS })));
      unpooled.push(took2);
      await sb2.close();
      const [, took3] = await timed(async () => {
        const compiler = await openSandbox({ docker, namespace, language: c, source: SOURCE, limits: LIMITS });
        await compiler.compile();
        await compiler.close();
        for (let t = 0; t < TESTS; t++) await runInFreshContainer(docker, image, namespace, binary, String(t));
      });
      freshSubmission.push(took3);
    }

    const d = summarize(direct);
    const s = summarize(viaSandbox);
    const w = summarize(programWall);
    const f = summarize(fresh);
    const p = summarize(pooled);
    const u = summarize(unpooled);
    const fs = summarize(freshSubmission);
    const pc = summarize(pooledClose);
    const row = (label: string, x: { median: number; mean: number; n: number }, note = '') =>
      console.log(`  ${label.padEnd(58)} ${ms(x.median).padStart(9)} median ${ms(x.mean).padStart(9)} mean  (n=${x.n})${note}`);
    console.log(`sandbox benchmark: image ${image}, a C program that reads a number and prints it doubled`);
    console.log('per run:');
    row('direct: the same binary spawned on the host (from Node)', d);
    row('sandbox run() on a warm sandbox', s);
    row("  of which the program itself (wall time, kernel-measured)", w);
    row('fresh hardened container per run (Docker API)', f);
    console.log(`  sandbox run vs direct spawn: ${ratio(s.median, d.median)} (${ms(s.median - d.median)}); sandbox overhead over the program's own wall time: ${ms(s.median - w.median)}`);
    console.log(`  fresh container vs sandbox run: ${ratio(f.median, s.median)} slower (${ms(f.median - s.median)} more per test)`);
    console.log(`${TESTS}-test submission, compile included (until the last verdict):`);
    row(`pooled sandbox: acquire + compile + ${TESTS} runs`, p);
    row('  then close (after the verdicts)', pc);
    row(`fresh sandbox, no pool: create + compile + ${TESTS} runs`, u);
    row(`fresh containers: 1 to compile + ${TESTS} to run`, fs);
    console.log(`  ${TESTS} fresh containers vs pooled sandbox: ${ratio(fs.median, p.median)} slower; unpooled sandbox vs pooled: ${ratio(u.median, p.median)}`);
  } finally {
    await pool.close();
    await removeLeftoverSandboxes(docker, namespace, { all: true });
    rmSync(dir, { recursive: true, force: true });
  }

  async function submission(sb: Sandbox): Promise<Sandbox> {
    await sb.compile();
    for (let t = 0; t < TESTS; t++) {
      const r = await sb.run(String(t), LIMITS);
      if (r.stdout !== `${2 * t}\n`) throw new Error(`submission test ${t}: unexpected output ${JSON.stringify(r.stdout)}`);
    }
    return sb;
  }
}

/** Builds the program once in a sandbox and reads the binary back (as base64: output is text). */
async function buildBinary(acquire: (o: { language: LanguageSpec; source: string; limits: SandboxLimits }) => Promise<Sandbox>, c: LanguageSpec): Promise<Buffer> {
  const sb = await acquire({ language: { ...c, run: ['base64', '-w0', 'main'] }, source: SOURCE, limits: LIMITS });
  try {
    const compiled = await sb.compile();
    if (!compiled?.success) throw new Error(`compile failed: ${compiled?.output}`);
    const r = await sb.run('', LIMITS);
    return Buffer.from(r.stdout, 'base64');
  } finally {
    await sb.close();
  }
}

function spawnOnce(file: string, stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end(stdin);
  });
}
