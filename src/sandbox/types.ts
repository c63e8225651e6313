import type Docker from 'dockerode';
import type { LanguageSpec, RuntimeName } from '../languages/index.js';

export interface SandboxLimits {
  /** user+system CPU of the whole process tree */
  timeMs: number;
  wallTimeMs: number;
  /** peak resident set of the largest process */
  memoryKb: number;
  /** per stream (stdout, stderr); also the largest file the program may write */
  outputKb: number;
  /** tasks (processes and threads) the program may have at once */
  processes: number;
}

export interface CompileOutcome {
  success: boolean;
  /** compiler stdout+stderr, interleaved, truncated at 64 KiB */
  output: string;
  timeMs: number;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: number | null;
  timeMs: number;
  wallTimeMs: number;
  memoryKb: number;
  /** UTF-8 decoded (invalid bytes become U+FFFD), truncated at the output limit */
  stdout: string;
  stderr: string;
  cpuTimeExceeded: boolean;
  wallTimeExceeded: boolean;
  memoryExceeded: boolean;
  outputExceeded: boolean;
}

export interface Sandbox {
  /** container id */
  readonly id: string;
  /** null for interpreted languages */
  compile(): Promise<CompileOutcome | null>;
  run(stdin: string, limits: SandboxLimits): Promise<RunOutcome>;
  /** removes the container (force); safe to call twice */
  close(): Promise<void>;
}

export interface OpenSandboxOptions {
  docker: Docker;
  /** every container is labelled judge.sandbox=<namespace>, see removeLeftoverSandboxes */
  namespace: string;
  language: LanguageSpec;
  source: string;
  limits: SandboxLimits;
  labels?: Record<string, string>;
}

export interface RuntimeImage {
  runtime: RuntimeName;
  image: string;
  labels: Record<string, string>;
}
