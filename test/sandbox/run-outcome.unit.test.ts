import { describe, expect, it } from 'vitest';
import { COMPILE_DEFAULTS, assertValidLimits, compileResources, fileSizeBytes, resolveCompileLimits, runResources, stackKb, stdinRoom } from '../../src/sandbox/limits.js';
import { toCompileOutcome, toRunOutcome } from '../../src/sandbox/run-outcome.js';
import type { SupervisorReport } from '../../src/sandbox/supervisor-protocol.js';
import type { SandboxLimits } from '../../src/sandbox/index.js';

const limits: SandboxLimits = { timeMs: 1000, wallTimeMs: 3000, memoryKb: 65536, outputKb: 1, processes: 8 };
const ok: SupervisorReport = {
  exitCode: 0,
  signal: null,
  timeMs: 10,
  wallTimeMs: 12,
  memoryKb: 4000,
  cpuExceeded: false,
  wallExceeded: false,
  outputExceeded: false,
  oomKilled: false,
  memoryExceeded: false,
  stdoutBytes: 0,
  stderrBytes: 0,
  stdoutTotal: 0,
  stderrTotal: 0,
};
const empty = Buffer.alloc(0);

describe('toRunOutcome', () => {
  it('copies the measurements and decodes the outputs', () => {
    expect(toRunOutcome(ok, Buffer.from('out'), Buffer.from('err'), limits)).toEqual({
      exitCode: 0,
      signal: null,
      timeMs: 10,
      wallTimeMs: 12,
      memoryKb: 4000,
      stdout: 'out',
      stderr: 'err',
      cpuTimeExceeded: false,
      wallTimeExceeded: false,
      memoryExceeded: false,
      outputExceeded: false,
    });
  });

  it('flags memory on a stall at the container limit, an early kill, or a peak above the limit', () => {
    expect(toRunOutcome({ ...ok, exitCode: null, signal: 9, oomKilled: true }, empty, empty, limits).memoryExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, exitCode: null, signal: 9, memoryExceeded: true }, empty, empty, limits).memoryExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, memoryKb: 65537 }, empty, empty, limits).memoryExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, memoryKb: 65536 }, empty, empty, limits).memoryExceeded).toBe(false);
  });

  it('flags time when the supervisor did or the measurement is over the limit', () => {
    expect(toRunOutcome({ ...ok, cpuExceeded: true }, empty, empty, limits).cpuTimeExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, timeMs: 1001 }, empty, empty, limits).cpuTimeExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, timeMs: 1000 }, empty, empty, limits).cpuTimeExceeded).toBe(false);
    expect(toRunOutcome({ ...ok, wallExceeded: true }, empty, empty, limits).wallTimeExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, wallTimeMs: 3001 }, empty, empty, limits).wallTimeExceeded).toBe(true);
  });

  it('flags stdout over the limit; stderr past its cap is only cut', () => {
    expect(toRunOutcome({ ...ok, stdoutTotal: 1025 }, Buffer.alloc(1024, 0x61), empty, limits)).toMatchObject({ outputExceeded: true });
    expect(toRunOutcome({ ...ok, outputExceeded: true }, empty, empty, limits).outputExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, stderrTotal: 10 ** 9 }, empty, Buffer.from('e'), limits)).toMatchObject({ outputExceeded: false, stderr: 'e' });
  });
});

describe('toCompileOutcome', () => {
  const c = COMPILE_DEFAULTS;
  it('succeeds on exit 0 within the limits, with the log', () => {
    expect(toCompileOutcome(ok, Buffer.from('warning: x\n'), c)).toEqual({ success: true, output: 'warning: x\n', timeMs: 10 });
    expect(toCompileOutcome({ ...ok, exitCode: 1 }, Buffer.from('error: y'), c)).toEqual({ success: false, output: 'error: y', timeMs: 10 });
  });

  it('fails with the limit named when a limit ended the compiler', () => {
    const cpu = toCompileOutcome({ ...ok, exitCode: null, signal: 9, cpuExceeded: true, timeMs: 10_050 }, Buffer.from('partial'), c);
    expect(cpu).toMatchObject({ success: false, output: 'partial\ncompilation exceeded the CPU time limit (10000 ms)\n' });
    expect(toCompileOutcome({ ...ok, exitCode: null, signal: 9, oomKilled: true }, empty, c).output).toMatch(/memory limit \(512 MiB\)/);
    expect(toCompileOutcome({ ...ok, exitCode: null, signal: 9, wallExceeded: true }, empty, c).output).toMatch(/wall time/);
    expect(toCompileOutcome({ ...ok, exitCode: null, signal: 11 }, empty, c).output).toMatch(/signal 11/);
    expect(toCompileOutcome({ ...ok, memoryKb: 600 * 1024 }, empty, c).success).toBe(false);
  });
});

describe('limits', () => {
  it('gives the container the limit plus room for the supervisor and everything in tmpfs', () => {
    const run = runResources(limits, stdinRoom(0), 0);
    expect(run.memoryBytes).toBeGreaterThan(limits.memoryKb * 1024 + 64 * 1024 * 1024);
    expect(run.memoryBytes).toBeLessThan(limits.memoryKb * 1024 + 256 * 1024 * 1024);
    expect(run.pidsLimit).toBe(limits.processes + 2);
    expect(runResources(limits, stdinRoom(0), 4096).memoryBytes).toBe(run.memoryBytes + 4096);
    expect(stdinRoom(0)).toBe(stdinRoom(16 * 1024 * 1024));
    expect(stdinRoom(16 * 1024 * 1024 + 1)).toBe(2 * stdinRoom(0));
    const compile = compileResources(COMPILE_DEFAULTS);
    expect(compile.memoryBytes).toBeGreaterThan(512 * 1024 * 1024);
    expect(compile.pidsLimit).toBe(66);
  });

  it('defaults the optional limits: stack = memory, files 16 MiB and never more than /box', () => {
    expect(stackKb(limits)).toBe(65536);
    expect(stackKb({ ...limits, stackKb: 1024 })).toBe(1024);
    expect(fileSizeBytes(limits)).toBe(16 * 1024 * 1024);
    expect(fileSizeBytes({ ...limits, fileSizeKb: 10 ** 9 })).toBe(64 * 1024 * 1024);
  });

  it('rejects limits that are not positive integers', () => {
    expect(() => assertValidLimits(limits)).not.toThrow();
    expect(() => assertValidLimits({ ...limits, timeMs: 0 })).toThrow(RangeError);
    expect(() => assertValidLimits({ ...limits, memoryKb: 1.5 })).toThrow(/memoryKb/);
    expect(() => assertValidLimits({ ...limits, processes: Number.NaN })).toThrow(/processes/);
    expect(() => assertValidLimits({ ...limits, stackKb: -1 })).toThrow(/stackKb/);
  });

  it('fills in compile defaults (10 s CPU, 20 s wall, 512 MiB) and takes overrides', () => {
    expect(resolveCompileLimits(undefined)).toMatchObject({ timeMs: 10_000, wallTimeMs: 20_000, memoryKb: 512 * 1024, outputKb: 64 });
    expect(resolveCompileLimits({ timeMs: 2000 })).toMatchObject({ timeMs: 2000, wallTimeMs: 20_000 });
    expect(() => resolveCompileLimits({ memoryKb: 0 })).toThrow(/memoryKb/);
  });
});
