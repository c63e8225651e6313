import type { BoxRunReport } from './box-run.js';
import { decodeOutput } from './decode-output.js';
import { outputBytes } from './limits.js';
import type { RunOutcome, SandboxLimits } from './types.js';

/** Maps box-run's kernel-measured report and the raw output files to a RunOutcome. */
export function toRunOutcome(report: BoxRunReport, stdout: Uint8Array, stderr: Uint8Array, limits: SandboxLimits): RunOutcome {
  const max = outputBytes(limits);
  return {
    exitCode: report.exitCode,
    signal: report.signal,
    timeMs: report.timeMs,
    wallTimeMs: report.wallTimeMs,
    memoryKb: report.memoryKb,
    stdout: decodeOutput(stdout, max),
    stderr: decodeOutput(stderr, max),
    cpuTimeExceeded: report.cpuExceeded || report.timeMs > limits.timeMs,
    wallTimeExceeded: report.wallExceeded,
    memoryExceeded: report.oomKilled || report.memoryKb > limits.memoryKb,
    outputExceeded: report.outputExceeded || stdout.length > max || stderr.length > max,
  };
}
