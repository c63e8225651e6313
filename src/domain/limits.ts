import type { Limits } from './events.js';

// Defaults and maxima for a run. Wall time defaults to twice the CPU time plus a second, so
// a program that waits on I/O a little is not punished, but one that sleeps forever is.
export const DEFAULT_LIMITS = { timeMs: 2000, memoryKb: 256 * 1024, outputKb: 8 * 1024, processes: 64 } as const;

export const LIMIT_RANGES: Readonly<Record<keyof Limits, readonly [number, number]>> = {
  timeMs: [100, 15_000],
  wallTimeMs: [100, 30_000],
  memoryKb: [16 * 1024, 2 * 1024 * 1024],
  outputKb: [1, 64 * 1024],
  processes: [1, 256],
};

export class LimitError extends Error {
  constructor(
    readonly field: keyof Limits,
    readonly value: number,
  ) {
    const [min, max] = LIMIT_RANGES[field];
    super(`limits.${field} must be between ${min} and ${max}, got ${value}`);
    this.name = 'LimitError';
  }
}

/** Fills in defaults and checks every limit against its range. */
export function resolveLimits(input: Partial<Record<keyof Limits, number | null>> | null | undefined): Limits {
  const timeMs = input?.timeMs ?? DEFAULT_LIMITS.timeMs;
  const limits: Limits = {
    timeMs,
    wallTimeMs: input?.wallTimeMs ?? Math.min(2 * timeMs + 1000, LIMIT_RANGES.wallTimeMs[1]),
    memoryKb: input?.memoryKb ?? DEFAULT_LIMITS.memoryKb,
    outputKb: input?.outputKb ?? DEFAULT_LIMITS.outputKb,
    processes: input?.processes ?? DEFAULT_LIMITS.processes,
  };
  for (const field of Object.keys(LIMIT_RANGES) as (keyof Limits)[]) {
    const [min, max] = LIMIT_RANGES[field];
    const value = limits[field];
    if (!Number.isInteger(value) || value < min || value > max) throw new LimitError(field, value);
  }
  return limits;
}
