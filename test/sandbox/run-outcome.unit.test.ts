import { describe, expect, it } from 'vitest';
import type { BoxRunReport } from '../../src/sandbox/box-run.js';
import { assertValidLimits, compileResources, runResources } from '../../src/sandbox/limits.js';
import { toRunOutcome } from '../../src/sandbox/run-outcome.js';
import type { SandboxLimits } from '../../src/sandbox/index.js';

const limits: SandboxLimits = { timeMs: 1000, wallTimeMs: 3000, memoryKb: 65536, outputKb: 1, processes: 8 };
const ok: BoxRunReport = {
  exitCode: 0,
  signal: null,
  timeMs: 10,
  wallTimeMs: 12,
  memoryKb: 4000,
  cpuExceeded: false,
  wallExceeded: false,
  outputExceeded: false,
  oomKilled: false,
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

  it('flags memory on an OOM kill or a peak above the limit', () => {
    expect(toRunOutcome({ ...ok, exitCode: null, signal: 9, oomKilled: true }, empty, empty, limits).memoryExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, memoryKb: 65537 }, empty, empty, limits).memoryExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, memoryKb: 65536 }, empty, empty, limits).memoryExceeded).toBe(false);
  });

  it('flags CPU when box-run did or the time is over the limit', () => {
    expect(toRunOutcome({ ...ok, cpuExceeded: true }, empty, empty, limits).cpuTimeExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, timeMs: 1001 }, empty, empty, limits).cpuTimeExceeded).toBe(true);
    expect(toRunOutcome({ ...ok, wallExceeded: true }, empty, empty, limits).wallTimeExceeded).toBe(true);
  });

  it('flags and truncates output over the limit', () => {
    const big = Buffer.alloc(1025, 0x61);
    const r = toRunOutcome(ok, big, empty, limits);
    expect(r.outputExceeded).toBe(true);
    expect(r.stdout).toHaveLength(1024);
    expect(toRunOutcome({ ...ok, outputExceeded: true }, empty, empty, limits).outputExceeded).toBe(true);
    expect(toRunOutcome(ok, empty, big, limits).stderr).toHaveLength(1024);
  });
});

describe('limits', () => {
  it('gives the container the limit plus headroom, and no less for compiling', () => {
    const run = runResources(limits, 0);
    expect(run.memoryBytes).toBeGreaterThan(limits.memoryKb * 1024);
    expect(run.memoryBytes).toBeLessThan(limits.memoryKb * 1024 + 64 * 1024 * 1024);
    expect(run.pidsLimit).toBeGreaterThan(limits.processes);
    expect(runResources(limits, 1).memoryBytes).toBeGreaterThan(run.memoryBytes);
    const compile = compileResources(limits);
    expect(compile.memoryBytes).toBeGreaterThanOrEqual(run.memoryBytes);
    expect(compile.pidsLimit).toBeGreaterThanOrEqual(run.pidsLimit);
    const huge = { ...limits, memoryKb: 4 * 1024 * 1024 };
    expect(compileResources(huge).memoryBytes).toBe(runResources(huge, 0).memoryBytes);
  });

  it('rejects limits that are not positive integers', () => {
    expect(() => assertValidLimits(limits)).not.toThrow();
    expect(() => assertValidLimits({ ...limits, timeMs: 0 })).toThrow(RangeError);
    expect(() => assertValidLimits({ ...limits, memoryKb: 1.5 })).toThrow(/memoryKb/);
    expect(() => assertValidLimits({ ...limits, processes: Number.NaN })).toThrow(/processes/);
  });
});
