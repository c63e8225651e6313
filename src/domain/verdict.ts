import { compareOutput, type ComparisonRule } from './compare.js';
import type { Verdict } from './events.js';

/** What the sandbox measured for one run; the domain turns it into a verdict. */
export interface RunMeasurement {
  exitCode: number | null;
  signal: number | null;
  stdout: string;
  cpuTimeExceeded: boolean;
  wallTimeExceeded: boolean;
  memoryExceeded: boolean;
  outputExceeded: boolean;
}

// Precedence when several apply (DESIGN.md): a program killed for time is TLE even if the
// kill also produced a signal, and so on down the list.
const PRECEDENCE: readonly Verdict[] = [
  'INTERNAL_ERROR',
  'TIME_LIMIT_EXCEEDED',
  'MEMORY_LIMIT_EXCEEDED',
  'OUTPUT_LIMIT_EXCEEDED',
  'RUNTIME_ERROR',
  'WRONG_ANSWER',
  'ACCEPTED',
];

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  let worst: Verdict = 'ACCEPTED';
  for (const v of verdicts) {
    if (PRECEDENCE.indexOf(v) < PRECEDENCE.indexOf(worst)) worst = v;
  }
  return worst;
}

/** What went wrong with a run regardless of its output (limits, crash), or null for a clean run. */
export function executionVerdict(run: RunMeasurement): Verdict | null {
  const applies: Verdict[] = [];
  if (run.cpuTimeExceeded || run.wallTimeExceeded) applies.push('TIME_LIMIT_EXCEEDED');
  if (run.memoryExceeded) applies.push('MEMORY_LIMIT_EXCEEDED');
  if (run.outputExceeded) applies.push('OUTPUT_LIMIT_EXCEEDED');
  if (run.signal !== null || (run.exitCode !== null && run.exitCode !== 0)) applies.push('RUNTIME_ERROR');
  return applies.length > 0 ? worstVerdict(applies) : null;
}

/**
 * The verdict of one run. With no expected output (an ad-hoc run without one), a run that ends
 * within its limits with exit code 0 is accepted.
 */
export function runVerdict(
  run: RunMeasurement,
  expectedOutput: string | null,
  rule: ComparisonRule = { comparison: 'WHITESPACE' },
): Verdict {
  const failed = executionVerdict(run);
  if (failed) return failed;
  if (expectedOutput !== null && !compareOutput(run.stdout, expectedOutput, rule)) return 'WRONG_ANSWER';
  return 'ACCEPTED';
}
