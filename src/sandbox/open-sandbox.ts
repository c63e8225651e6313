import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { runtimeImage, type LanguageSpec } from '../languages/index.js';
import { boxRunCommand, parseBoxRunReport, type BoxRunOptions, type BoxRunReport } from './box-run.js';
import { BOX_DIR, sandboxContainerSpec } from './container-spec.js';
import { decodeOutput } from './decode-output.js';
import { dockerExec } from './docker-exec.js';
import {
  assertValidLimits,
  COMPILE,
  compileResources,
  outputBytes,
  runResources,
  type ContainerResources,
} from './limits.js';
import { toRunOutcome } from './run-outcome.js';
import type { CompileOutcome, OpenSandboxOptions, RunOutcome, Sandbox, SandboxLimits } from './types.js';
import { withTimeout } from './with-timeout.js';

/** Engine calls that do no real work (create, start, update, remove, small execs). */
const DOCKER_TIMEOUT_MS = 30_000;
/** Slack on top of a run's own wall limit before the worker gives up on the engine. */
const EXEC_SLACK_MS = 30_000;

const STDIN_FILE = `${BOX_DIR}/.stdin`;
const STDOUT_FILE = `${BOX_DIR}/.stdout`;
const STDERR_FILE = `${BOX_DIR}/.stderr`;
const COMPILE_LOG = `${BOX_DIR}/.compile.log`;

/** Creates and starts the container for one submission and writes its source into /box. */
export async function openSandbox(opts: OpenSandboxOptions): Promise<Sandbox> {
  assertValidLimits(opts.limits);
  const { docker, language } = opts;
  // Compiled languages start with the compiler's resources; run() lowers them.
  const resources = language.compile ? compileResources(opts.limits) : runResources(opts.limits, 0);
  const spec = sandboxContainerSpec({
    image: runtimeImage(language.runtime),
    namespace: opts.namespace,
    labels: opts.labels,
    resources,
    name: `judge-sbx-${opts.namespace.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${randomBytes(6).toString('hex')}`,
  });
  const container = await withTimeout(docker.createContainer(spec), DOCKER_TIMEOUT_MS, 'create sandbox container').catch(
    (err: unknown) => {
      if ((err as { statusCode?: number }).statusCode === 404) {
        throw new Error(`sandbox: runtime image ${spec.Image} is missing; run \`node scripts/setup-docker.mjs\``, { cause: err });
      }
      throw err;
    },
  );
  const sandbox = new DockerSandbox(container, language, opts.limits, resources);
  try {
    await withTimeout(container.start(), DOCKER_TIMEOUT_MS, 'start sandbox container');
    await sandbox.writeFile(`${BOX_DIR}/${language.sourceFileName}`, Buffer.from(opts.source, 'utf8'));
  } catch (err) {
    await sandbox.close().catch(() => undefined);
    throw err;
  }
  return sandbox;
}

class DockerSandbox implements Sandbox {
  readonly id: string;
  /** Steps run one at a time: box-run --kill-others would kill a concurrent exec. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly container: Docker.Container,
    private readonly language: LanguageSpec,
    /** the limits given at open; compiling needs at least their resources */
    private readonly openLimits: SandboxLimits,
    private applied: ContainerResources,
  ) {
    this.id = container.id;
  }

  compile(): Promise<CompileOutcome | null> {
    return this.serial(async () => {
      const argv = this.language.compile;
      if (!argv) return null;
      await this.apply(compileResources(this.openLimits));
      const report = await this.boxRun(
        {
          argv,
          cpuMs: COMPILE.cpuMs,
          wallMs: COMPILE.wallMs,
          outputBytes: COMPILE.outputBytes,
          fileBytes: COMPILE.fileBytes,
          stackKb: 0,
          stdout: COMPILE_LOG,
          stderr: COMPILE_LOG,
          killOthers: true,
        },
        COMPILE.wallMs,
      );
      const log = await this.readFiles([COMPILE_LOG], COMPILE.outputBytes);
      let output = decodeOutput(log[0] ?? Buffer.alloc(0), COMPILE.outputBytes);
      const problem = compileProblem(report);
      if (problem) output += `${output && !output.endsWith('\n') ? '\n' : ''}${problem}\n`;
      const success = report.exitCode === 0 && !problem;
      return { success, output, timeMs: report.timeMs };
    });
  }

  run(stdin: string, limits: SandboxLimits): Promise<RunOutcome> {
    return this.serial(async () => {
      assertValidLimits(limits);
      const input = Buffer.from(stdin, 'utf8');
      const want = runResources(limits, input.length);
      // Raise the limit before the stdin file is charged to the cgroup; lower it only after the
      // old, possibly larger file was replaced.
      const raising = want.memoryBytes >= this.applied.memoryBytes;
      if (raising) await this.apply(want);
      await this.writeFile(STDIN_FILE, input, [STDOUT_FILE, STDERR_FILE]);
      if (!raising) await this.apply(want);
      const max = outputBytes(limits);
      const report = await this.boxRun(
        {
          argv: this.language.run,
          cpuMs: limits.timeMs,
          wallMs: limits.wallTimeMs,
          outputBytes: max,
          // One byte over the limit lets box-run see that the limit was exceeded.
          fileBytes: max + 1,
          stackKb: Math.max(8192, limits.memoryKb),
          stdin: STDIN_FILE,
          stdout: STDOUT_FILE,
          stderr: STDERR_FILE,
          killOthers: true,
        },
        limits.wallTimeMs,
      );
      const [out, err] = await this.readFiles([STDOUT_FILE, STDERR_FILE], max + 1);
      return toRunOutcome(report, out ?? Buffer.alloc(0), err ?? Buffer.alloc(0), limits);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await withTimeout(this.container.remove({ force: true, v: true }), DOCKER_TIMEOUT_MS, 'remove sandbox container');
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  /**
   * Writes a file in /box through exec stdin (the root is read-only, /box a tmpfs), removing
   * `stale` files first.
   */
  async writeFile(file: string, data: Buffer, stale: readonly string[] = []): Promise<void> {
    const res = await dockerExec(this.container, {
      // rm first: an earlier run of the program may have put a FIFO, a symlink or a directory
      // there. The byte count read back proves all input arrived before stdin was closed.
      cmd: ['sh', '-c', 'f=$1; shift; rm -rf -- "$f" "$@" && cat > "$f" && wc -c < "$f"', 'sh', file, ...stale],
      stdin: data,
      what: `write ${file}`,
      timeoutMs: DOCKER_TIMEOUT_MS + Math.ceil(data.length / 1_000_000) * 1000,
      maxOutputBytes: 4096,
    });
    const written = res.stdout.toString('utf8').trim();
    if (res.exitCode !== 0 || written !== String(data.length)) {
      throw new Error(
        `sandbox: writing ${file} failed (exit ${res.exitCode}, ${written || '?'} of ${data.length} bytes): ` +
          res.stderr.toString('utf8').trim(),
      );
    }
  }

  /** Reads up to maxBytes of each file; a missing file reads as empty. */
  private async readFiles(files: readonly string[], maxBytes: number): Promise<Buffer[]> {
    const [first, second] = files;
    // One exec for both: the first file on stdout, the second on stderr.
    const script = second === undefined ? 'head -c "$1" "$2" 2>/dev/null; true' : 'head -c "$1" "$2" 2>/dev/null; head -c "$1" "$3" >&2 2>/dev/null; true';
    const res = await dockerExec(this.container, {
      cmd: ['sh', '-c', script, 'sh', String(maxBytes), ...(first ? [first] : []), ...(second ? [second] : [])],
      what: 'read outputs',
      timeoutMs: DOCKER_TIMEOUT_MS,
      maxOutputBytes: maxBytes,
    });
    if (res.exitCode !== 0) throw new Error(`sandbox: reading ${files.join(', ')} failed (exit ${res.exitCode})`);
    return second === undefined ? [res.stdout] : [res.stdout, res.stderr];
  }

  private async boxRun(opts: BoxRunOptions, wallMs: number): Promise<BoxRunReport> {
    const res = await dockerExec(this.container, {
      cmd: boxRunCommand(opts),
      what: 'box-run',
      // box-run enforces the wall limit itself and then needs up to ~1 s to reap.
      timeoutMs: wallMs + EXEC_SLACK_MS,
      maxOutputBytes: 64 * 1024,
    });
    if (res.exitCode === 137) {
      // The program runs as the same user as box-run and may kill it; nothing was measured.
      throw new Error('sandbox: box-run was killed (SIGKILL), most likely by the program it supervised; no report');
    }
    if (res.exitCode !== 0) {
      throw new Error(`sandbox: box-run failed (exit ${res.exitCode}): ${res.stderr.toString('utf8').trim()}`);
    }
    return parseBoxRunReport(res.stdout.toString('utf8'));
  }

  private async apply(want: ContainerResources): Promise<void> {
    if (want.memoryBytes === this.applied.memoryBytes && want.pidsLimit === this.applied.pidsLimit) return;
    await withTimeout(
      this.container.update({ Memory: want.memoryBytes, MemorySwap: want.memoryBytes, PidsLimit: want.pidsLimit }),
      DOCKER_TIMEOUT_MS,
      'update sandbox limits',
    );
    this.applied = want;
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('sandbox: already closed'));
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Why a compile failed beyond the compiler's own messages (limits hit), if it did. */
function compileProblem(r: BoxRunReport): string | undefined {
  if (r.cpuExceeded) return `compilation exceeded the CPU limit (${COMPILE.cpuMs} ms)`;
  if (r.wallExceeded) return `compilation exceeded the wall-clock limit (${COMPILE.wallMs} ms)`;
  if (r.oomKilled) return 'compilation ran out of memory';
  if (r.signal !== null) return `compiler killed by signal ${r.signal}`;
  return undefined;
}
