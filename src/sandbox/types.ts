import type Docker from 'dockerode';
import type { LanguageSpec, RuntimeName } from '../languages/index.js';

export interface SandboxLimits {
  /** user+system CPU of the whole process tree */
  timeMs: number;
  wallTimeMs: number;
  /** peak memory: the largest process's peak RSS, or the tree's anonymous memory, whichever is larger */
  memoryKb: number;
  /** stdout kept; more ends the run with outputExceeded */
  outputKb: number;
  /** tasks (processes and threads) the program may have at once */
  processes: number;
  /** stderr kept (the rest is dropped, no verdict); default 64 KiB */
  stderrKb?: number;
  /** largest file the program may write (RLIMIT_FSIZE); default 16 MiB, at most the working directory's size */
  fileSizeKb?: number;
  /** RLIMIT_STACK; default the memory limit */
  stackKb?: number;
}

/** The compiler's limits; every field has a default (see COMPILE_DEFAULTS). */
export interface CompileLimits {
  timeMs: number;
  wallTimeMs: number;
  memoryKb: number;
  processes: number;
  /** compiler output kept (stdout and stderr together) */
  outputKb: number;
  /** largest file the compiler may write (the binary) */
  fileSizeKb: number;
}

export interface CompileOutcome {
  success: boolean;
  /** compiler stdout+stderr, interleaved, truncated at the compile output limit (64 KiB) */
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
  /** truncated at the stderr limit */
  stderr: string;
  cpuTimeExceeded: boolean;
  wallTimeExceeded: boolean;
  memoryExceeded: boolean;
  outputExceeded: boolean;
}

export interface Sandbox {
  /** container id */
  readonly id: string;
  /** null for interpreted languages; call once, before the first run */
  compile(): Promise<CompileOutcome | null>;
  /**
   * Runs the program once on `stdin`. Every run starts from the build as compile() left it (files
   * the previous run wrote or changed are gone) with no process of the previous run alive.
   */
  run(stdin: string | Uint8Array, limits: SandboxLimits, options?: RunOptions): Promise<RunOutcome>;
  /** Writes a file into the working directory, as the sandbox user (`name`: no slashes). */
  put(name: string, content: string | Uint8Array): Promise<void>;
  /** removes the container (force); safe to call twice; the container is never reused */
  close(): Promise<void>;
}

export interface RunOptions {
  /** run this instead of the language's run command (e.g. a checker with its arguments) */
  argv?: readonly string[];
  /**
   * false: run on the working directory as it stands (files put() since) instead of restoring
   * the build first. For trusted programs only (checkers); a submission's runs always restore.
   */
  restore?: boolean;
}

export interface SandboxOptions {
  language: LanguageSpec;
  source: string;
  /** the run limits; the container is sized for them (runs may pass others) */
  limits: SandboxLimits;
  /** the compiler's limits; defaults from COMPILE_DEFAULTS */
  compileLimits?: Partial<CompileLimits>;
  /**
   * Docker labels of a fresh container. A pooled container was created before its submission
   * was known and Docker cannot relabel: the pool ignores these.
   */
  labels?: Record<string, string>;
}

export interface OpenSandboxOptions extends SandboxOptions {
  docker: Docker;
  /** every container is labelled judge.sandbox=<namespace>, see removeLeftoverSandboxes */
  namespace: string;
}

export interface SandboxPoolOptions {
  docker: Docker;
  namespace: string;
  /** warm containers kept per runtime image (default 1); a number, or per runtime */
  size?: number | Partial<Record<RuntimeName, number>>;
  /** runtimes to keep warm (default: every runtime whose image is present) */
  runtimes?: readonly RuntimeName[];
  /** labels on every container of the pool */
  labels?: Record<string, string>;
  /** called with failures of the background refill (which retries with a back-off) */
  onError?: (err: unknown) => void;
}

export interface SandboxPool {
  /** A sandbox for one submission: a warm container if one is idle, else a fresh one. */
  acquire(options: SandboxOptions): Promise<Sandbox>;
  /** Resolves once every pooled runtime has its warm containers (tests, benchmarks, start-up). */
  ready(): Promise<void>;
  /** warm containers idle per runtime */
  idle(): Partial<Record<RuntimeName, number>>;
  /** Stops refilling and removes the idle containers; sandboxes already acquired are not touched. */
  close(): Promise<void>;
}

export interface RuntimeImage {
  runtime: RuntimeName;
  image: string;
  labels: Record<string, string>;
}
