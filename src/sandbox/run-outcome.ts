import { decodeOutput } from './decode-output.js';
import type { SupervisorReport } from './supervisor-protocol.js';
import type { CompileLimits, CompileOutcome, RunOutcome, SandboxLimits } from './types.js';

/** Maps the supervisor's kernel-measured report and the kept output to a RunOutcome. */
export function toRunOutcome(report: SupervisorReport, stdout: Uint8Array, stderr: Uint8Array, limits: SandboxLimits): RunOutcome {
  return {
    exitCode: report.exitCode,
    signal: report.signal,
    timeMs: report.timeMs,
    wallTimeMs: report.wallTimeMs,
    memoryKb: report.memoryKb,
    stdout: decodeOutput(stdout, limits.outputKb * 1024),
    stderr: decodeOutput(stderr, stderr.length),
    cpuTimeExceeded: report.cpuExceeded || report.timeMs > limits.timeMs,
    wallTimeExceeded: report.wallExceeded || report.wallTimeMs > limits.wallTimeMs,
    memoryExceeded: report.oomKilled || report.memoryExceeded || report.memoryKb > limits.memoryKb,
    outputExceeded: report.outputExceeded || report.stdoutTotal > limits.outputKb * 1024,
  };
}

/** Maps a compiler run: its log, and why it failed when a limit (not the compiler) ended it. */
export function toCompileOutcome(report: SupervisorReport, log: Uint8Array, limits: CompileLimits): CompileOutcome {
  let output = decodeOutput(log, limits.outputKb * 1024);
  const problem = compileProblem(report, limits);
  if (problem) output += `${output && !output.endsWith('\n') ? '\n' : ''}${problem}\n`;
  return { success: report.exitCode === 0 && !problem, output, timeMs: report.timeMs };
}

function compileProblem(r: SupervisorReport, limits: CompileLimits): string | undefined {
  if (r.cpuExceeded || r.timeMs > limits.timeMs) return `compilation exceeded the CPU time limit (${limits.timeMs} ms)`;
  if (r.wallExceeded) return `compilation exceeded the wall time limit (${limits.wallTimeMs} ms)`;
  if (r.oomKilled || r.memoryExceeded || r.memoryKb > limits.memoryKb) return `compilation exceeded the memory limit (${Math.round(limits.memoryKb / 1024)} MiB)`;
  if (r.signal !== null) return `the compiler was killed by signal ${r.signal}`;
  return undefined;
}
