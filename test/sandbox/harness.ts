// Shared set-up of the sandbox integration tests: one Docker client, a namespace per test file,
// every sandbox closed and every container of the namespace removed at the end.
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect } from 'vitest';
import { executionVerdict } from '../../src/domain/index.js';
import { findLanguage, type LanguageId } from '../../src/languages/index.js';
import { openSandbox, removeLeftoverSandboxes, type CompileLimits, type RunOutcome, type Sandbox, type SandboxLimits } from '../../src/sandbox/index.js';
import { ensureDocker, ensureRuntimeImages } from '../../scripts/setup-docker.mjs';

export const docker = new Docker();
export const limits: SandboxLimits = { timeMs: 2000, wallTimeMs: 5000, memoryKb: 128 * 1024, outputKb: 64, processes: 32 };

export function lang(id: LanguageId) {
  const l = findLanguage(id);
  if (!l) throw new Error(`no language ${id}`);
  return l;
}

export function useSandboxes(prefix: string) {
  const namespace = `t_${prefix}_${randomBytes(4).toString('hex')}`;
  const open: Sandbox[] = [];

  // Normally a no-op (the setup ran before); on a fresh machine this builds the images (~1 min).
  beforeAll(async () => {
    await ensureDocker(() => {});
    await ensureRuntimeImages(() => {});
  }, 15 * 60_000);

  afterAll(async () => {
    await Promise.all(open.map((sb) => sb.close().catch(() => undefined)));
    await removeLeftoverSandboxes(docker, namespace, { all: true });
  });

  async function sandbox(id: LanguageId, source: string, at: SandboxLimits = limits, compileLimits?: Partial<CompileLimits>): Promise<Sandbox> {
    const sb = await openSandbox({ docker, namespace, language: lang(id), source, limits: at, compileLimits, labels: { 'judge.test': prefix } });
    open.push(sb);
    return sb;
  }

  /** Opens, compiles (must succeed) and returns the sandbox, ready to run. */
  async function built(id: LanguageId, source: string, at: SandboxLimits = limits): Promise<Sandbox> {
    const sb = await sandbox(id, source, at);
    const compiled = await sb.compile();
    if (compiled) expect(compiled, compiled.output).toMatchObject({ success: true });
    return sb;
  }

  /** Opens, compiles (must succeed), runs once and closes. */
  async function runOnce(id: LanguageId, source: string, stdin: string | Uint8Array = '', at: SandboxLimits = limits): Promise<RunOutcome> {
    const sb = await built(id, source, at);
    const outcome = await sb.run(stdin, at);
    await sb.close();
    return outcome;
  }

  return { namespace, sandbox, built, runOnce };
}

/** The verdict the worker gives a run regardless of its output (precedence of DESIGN.md). */
export function verdictOf(r: RunOutcome): string {
  return executionVerdict(r) ?? 'OK';
}
