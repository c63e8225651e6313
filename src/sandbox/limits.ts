import type { SandboxLimits } from './types.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Compiler runs: 10 s CPU, 20 s wall, output kept up to 64 KiB. */
export const COMPILE = {
  cpuMs: 10_000,
  wallMs: 20_000,
  outputBytes: 64 * KiB,
  /** the binary is a file too: allow anything that fits in /box */
  fileBytes: 64 * MiB,
  /** compilers need more than a typical run limit (cc1plus on <bits/stdc++.h> peaks near 200 MB) */
  memoryBytes: 768 * MiB,
  pids: 64,
} as const;

/** Size of the /box tmpfs (source, binary, stdin, outputs). */
export const BOX_SIZE = '64m';

/**
 * Container memory above the program's limit: box-run and the idle init, plus the tmpfs pages
 * the cgroup is charged for (the stdin file and both output files). The exact memory verdict
 * comes from ru_maxrss; the cgroup limit is the hard stop.
 */
const HEADROOM_BYTES = 32 * MiB;
/** Stdin is rounded up so that similar inputs do not need a container update each. */
const STDIN_STEP = 8 * MiB;
/** sleep (pid 1), box-run, and one spare for the engine's exec */
const HELPER_PIDS = 3;

export interface ContainerResources {
  memoryBytes: number;
  pidsLimit: number;
}

export function outputBytes(limits: SandboxLimits): number {
  return limits.outputKb * KiB;
}

export function runResources(limits: SandboxLimits, stdinBytes: number): ContainerResources {
  const stdinRoom = Math.ceil(stdinBytes / STDIN_STEP) * STDIN_STEP;
  return {
    memoryBytes: limits.memoryKb * KiB + HEADROOM_BYTES + 2 * (outputBytes(limits) + 1) + stdinRoom,
    pidsLimit: limits.processes + HELPER_PIDS,
  };
}

export function compileResources(limits: SandboxLimits): ContainerResources {
  const run = runResources(limits, 0);
  return {
    memoryBytes: Math.max(run.memoryBytes, COMPILE.memoryBytes),
    pidsLimit: Math.max(run.pidsLimit, COMPILE.pids),
  };
}

/** Throws a RangeError unless every limit is a positive safe integer. */
export function assertValidLimits(limits: SandboxLimits): void {
  for (const key of ['timeMs', 'wallTimeMs', 'memoryKb', 'outputKb', 'processes'] as const) {
    const v = limits[key];
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`sandbox limit ${key} must be a positive integer, got ${v}`);
  }
}
