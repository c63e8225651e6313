import type { LanguageSpec } from '../languages/index.js';
import { PROGRAM_ENV } from './container-spec.js';
import {
  COMPILE_OPEN_FILES,
  OPEN_FILES,
  assertValidLimits,
  compileResources,
  fileSizeBytes,
  resolveCompileLimits,
  runResources,
  stackKb,
  stderrBytes,
  stdinRoom,
  type ContainerResources,
} from './limits.js';
import { toCompileOutcome, toRunOutcome } from './run-outcome.js';
import { encodePut, encodeRun, parseReport, replyWord, type RunRequest, type SupervisorReport } from './supervisor-protocol.js';
import { DOCKER_TIMEOUT_MS, removeContainer, type LiveContainer } from './start-container.js';
import type { CompileLimits, CompileOutcome, RunOptions, RunOutcome, Sandbox, SandboxLimits, SandboxOptions } from './types.js';
import { withTimeout } from './with-timeout.js';

/** Time for the supervisor around a run: restoring the build, stdin in, output out. */
const RUN_SLACK_MS = 15_000;
const BYTES_PER_MS = 10_000; // a pessimistic 10 MB/s through the Docker API

/**
 * One submission's sandbox on a live container: the source is written at once; compile() builds
 * it and saves the build; each run() restores the build, runs the program on its stdin and
 * reports what the kernel measured. Steps run one at a time, each a single request to the
 * supervisor (plus a container update when the memory or task limit has to change).
 */
export class DockerSandbox implements Sandbox {
  readonly id: string;
  private readonly compileLimits: CompileLimits;
  private state: 'source' | 'built' | 'failed' = 'source';
  private buildBytes = 0;
  private room = stdinRoom(0);
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly live: LiveContainer,
    private readonly language: LanguageSpec,
    compileLimits: Partial<CompileLimits> | undefined,
  ) {
    this.id = live.container.id;
    this.compileLimits = resolveCompileLimits(compileLimits);
  }

  /** Takes over a live container for one submission: writes the source (and saves it as the build when nothing compiles). */
  static async prepare(live: LiveContainer, opts: SandboxOptions): Promise<DockerSandbox> {
    assertValidLimits(opts.limits);
    const sandbox = new DockerSandbox(live, opts.language, opts.compileLimits);
    try {
      await sandbox.request(encodePut(opts.language.sourceFileName, Buffer.from(opts.source, 'utf8')), 'OK', DOCKER_TIMEOUT_MS, 'write source');
      if (!opts.language.compile) await sandbox.save();
    } catch (err) {
      await sandbox.close().catch(() => undefined);
      throw err;
    }
    return sandbox;
  }

  compile(): Promise<CompileOutcome | null> {
    return this.serial(async () => {
      const argv = this.language.compile;
      if (!argv) return null;
      if (this.state !== 'source') throw new Error('sandbox: compile() was already called');
      const limits = this.compileLimits;
      await this.apply(compileResources(limits));
      const request: RunRequest = {
        argv,
        env: [...PROGRAM_ENV, ...envOf(this.language)],
        cpuMs: limits.timeMs,
        wallMs: limits.wallTimeMs,
        memoryKb: limits.memoryKb,
        outputBytes: limits.outputKb * 1024,
        stderrBytes: 0,
        fileSizeBytes: limits.fileSizeKb * 1024,
        stackKb: 0,
        openFiles: COMPILE_OPEN_FILES,
        merge: true,
        killOnOutput: false,
        restore: false,
      };
      const { report, stdout } = await this.runRequest(request, new Uint8Array(0));
      const outcome = toCompileOutcome(report, stdout, limits);
      this.state = outcome.success ? 'built' : 'failed';
      if (outcome.success) await this.save();
      return outcome;
    });
  }

  put(name: string, content: string | Uint8Array): Promise<void> {
    return this.serial(async () => {
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      await this.request(encodePut(name, data), 'OK', DOCKER_TIMEOUT_MS, `write ${name}`);
    });
  }

  run(stdin: string | Uint8Array, limits: SandboxLimits, options: RunOptions = {}): Promise<RunOutcome> {
    return this.serial(async () => {
      assertValidLimits(limits);
      if (this.state === 'failed') throw new Error('sandbox: the compilation failed; there is nothing to run');
      if (this.state === 'source' && this.language.compile) throw new Error('sandbox: call compile() before run()');
      const input = typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin;
      // The stdin room only grows: resizing the container costs a Docker round trip.
      this.room = Math.max(this.room, stdinRoom(input.length));
      await this.apply(runResources(limits, this.room, this.buildBytes));
      const request: RunRequest = {
        argv: expandArgv(options.argv ?? this.language.run, limits),
        env: [...PROGRAM_ENV, ...envOf(this.language)],
        cpuMs: limits.timeMs,
        wallMs: limits.wallTimeMs,
        memoryKb: limits.memoryKb,
        outputBytes: limits.outputKb * 1024,
        stderrBytes: stderrBytes(limits),
        fileSizeBytes: fileSizeBytes(limits),
        stackKb: stackKb(limits),
        openFiles: OPEN_FILES,
        merge: false,
        killOnOutput: true,
        restore: options.restore ?? true,
      };
      const { report, stdout, stderr } = await this.runRequest(request, input);
      return toRunOutcome(report, stdout, stderr, limits);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Closing the stream ends the supervisor (and the container) by itself; removing it makes
    // sure of it even if the supervisor is stuck.
    this.live.supervisor.close();
    await removeContainer(this.live.container);
  }

  private async runRequest(request: RunRequest, stdin: Uint8Array): Promise<{ report: SupervisorReport; stdout: Buffer; stderr: Buffer }> {
    const timeoutMs = request.wallMs + RUN_SLACK_MS + Math.ceil((stdin.length + request.outputBytes + request.stderrBytes) / BYTES_PER_MS);
    return this.live.supervisor.request(
      encodeRun(request, stdin),
      async (reader) => {
        const report = parseReport(replyWord(await reader.line(8192), 'REPORT'), request.outputBytes, request.stderrBytes || request.outputBytes);
        const stdout = await reader.bytes(report.stdoutBytes);
        const stderr = await reader.bytes(report.stderrBytes);
        return { report, stdout, stderr };
      },
      timeoutMs,
      'sandbox run',
    );
  }

  /** The working directory as it is now becomes the build every run starts from. */
  private async save(): Promise<void> {
    const words = await this.request([Buffer.from('SAVE\n')], 'OK', DOCKER_TIMEOUT_MS, 'save build');
    const bytes = Number(words.split(' ')[1]);
    this.buildBytes = Number.isSafeInteger(bytes) && bytes > 0 ? bytes : 0;
  }

  private request(parts: Buffer[], expect: 'OK', timeoutMs: number, what: string): Promise<string> {
    return this.live.supervisor.request(parts, async (reader) => replyWord(await reader.line(8192), expect), timeoutMs, what);
  }

  private async apply(want: ContainerResources): Promise<void> {
    const have = this.live.applied;
    if (want.memoryBytes === have.memoryBytes && want.pidsLimit === have.pidsLimit) return;
    await withTimeout(
      this.live.container.update({ Memory: want.memoryBytes, MemorySwap: want.memoryBytes, PidsLimit: want.pidsLimit }),
      DOCKER_TIMEOUT_MS,
      'update sandbox limits',
    );
    this.live.applied = want;
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('sandbox: already closed'));
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function envOf(language: LanguageSpec): string[] {
  return Object.entries(language.env ?? {}).map(([k, v]) => `${k}=${v}`);
}

/** Fills in the limits a run command may mention ({memoryKb}, {stackKb}: e.g. the JVM's -Xmx). */
export function expandArgv(argv: readonly string[], limits: SandboxLimits): string[] {
  const values: Record<string, number> = { memoryKb: limits.memoryKb, stackKb: stackKb(limits) };
  return argv.map((a) => a.replace(/\{(memoryKb|stackKb)\}/g, (_, k: string) => String(values[k])));
}
