import type { CompileLimits, SandboxLimits } from './types.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Compiler limits unless the caller sets others: 10 s CPU, 20 s wall, 512 MiB, 64 KiB of log. */
export const COMPILE_DEFAULTS: Readonly<CompileLimits> = {
  timeMs: 10_000,
  wallTimeMs: 20_000,
  memoryKb: 512 * 1024,
  processes: 64,
  outputKb: 64,
  fileSizeKb: 64 * 1024,
};

/** Writable places of a sandbox, all tmpfs: their size bounds what a program can write. */
export const BOX_BYTES = 64 * MiB;
export const TMP_BYTES = 16 * MiB;
export const SHM_BYTES = 8 * MiB;
/** the supervisor's root-only tmpfs: stdin, captured output, the build snapshot */
export const PRIVATE_BYTES = 16 * MiB + 64 * MiB + 1 * MiB + BOX_BYTES;
/** files and directories per tmpfs: a program cannot make the wipe between runs slow */
export const INODES = 16_384;

export const RUN_DEFAULTS = { stderrKb: 64, fileSizeKb: 16 * 1024 } as const;
/** open descriptors per process of the program (isolate's default) */
export const OPEN_FILES = 64;
export const COMPILE_OPEN_FILES = 256;

/**
 * Container memory above the program's own limit: the supervisor and its runner, kernel memory
 * (page tables, pipes), and whatever sits in tmpfs, which the kernel charges to the container
 * too (a full /box, /tmp and /dev/shm, stdin, the kept output, the build snapshot). With that
 * room, the container's limit (where the program stalls and is killed) is only reached by a
 * program over its own limit; the exact verdict comes from the measured peak.
 */
const HEADROOM_BYTES = 32 * MiB + BOX_BYTES + TMP_BYTES + SHM_BYTES;
/** Stdin room grows in steps, so tests of similar size do not each resize the container. */
const STDIN_STEP = 16 * MiB;
/** pid 1 (the supervisor) and the runner of the current run */
export const HELPER_PIDS = 2;

export interface ContainerResources {
  memoryBytes: number;
  pidsLimit: number;
}

export function stdinRoom(stdinBytes: number): number {
  return Math.max(1, Math.ceil(stdinBytes / STDIN_STEP)) * STDIN_STEP;
}

export function stderrBytes(limits: SandboxLimits): number {
  return (limits.stderrKb ?? RUN_DEFAULTS.stderrKb) * KiB;
}

export function fileSizeBytes(limits: SandboxLimits): number {
  return Math.min(limits.fileSizeKb ?? RUN_DEFAULTS.fileSizeKb, BOX_BYTES / KiB) * KiB;
}

export function stackKb(limits: SandboxLimits): number {
  return limits.stackKb ?? Math.max(8192, limits.memoryKb);
}

/** The container for runs under `limits`, with stdin room and the saved build's size. */
export function runResources(limits: SandboxLimits, room: number, buildBytes: number): ContainerResources {
  return {
    memoryBytes: limits.memoryKb * KiB + HEADROOM_BYTES + room + limits.outputKb * KiB + stderrBytes(limits) + buildBytes,
    pidsLimit: limits.processes + HELPER_PIDS,
  };
}

/** The container while compiling (the build snapshot is taken after the compiler has exited). */
export function compileResources(limits: CompileLimits): ContainerResources {
  return {
    memoryBytes: limits.memoryKb * KiB + HEADROOM_BYTES + limits.outputKb * KiB,
    pidsLimit: limits.processes + HELPER_PIDS,
  };
}

export function resolveCompileLimits(partial: Partial<CompileLimits> | undefined): CompileLimits {
  const limits = { ...COMPILE_DEFAULTS, ...partial };
  assertPositiveIntegers(limits, Object.keys(COMPILE_DEFAULTS) as (keyof CompileLimits)[], 'compile limit');
  return limits;
}

/** Throws a RangeError unless every limit is a positive safe integer. */
export function assertValidLimits(limits: SandboxLimits): void {
  assertPositiveIntegers(limits, ['timeMs', 'wallTimeMs', 'memoryKb', 'outputKb', 'processes'], 'sandbox limit');
  const optional = (['stderrKb', 'fileSizeKb', 'stackKb'] as const).filter((k) => limits[k] !== undefined);
  assertPositiveIntegers(limits, optional, 'sandbox limit');
}

function assertPositiveIntegers<T extends object>(limits: T, keys: readonly (keyof T)[], what: string): void {
  for (const key of keys) {
    const v = limits[key] as unknown;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw new RangeError(`${what} ${String(key)} must be a positive integer, got ${String(v)}`);
    }
  }
}
