import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { BOX_DIR, EXEC_ENV } from './container-spec.js';
import { StreamDemuxer } from './demux.js';
import { DockerTimeoutError, withTimeout } from './with-timeout.js';

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ExecOptions {
  cmd: readonly string[];
  /** written to the command's stdin, which is then closed; no stdin when absent */
  stdin?: Buffer;
  /** for error messages */
  what: string;
  /** the whole exec, from create to exit code */
  timeoutMs: number;
  /** per stream; the rest is dropped */
  maxOutputBytes?: number;
}

/**
 * Runs a command in the container and waits until it has exited. The attach stream is hijacked
 * (a raw socket) so stdin can be half-closed: the command sees EOF only after every byte was
 * sent. The stream ending is not proof of exit, so the exit code comes from inspecting the exec.
 */
export async function dockerExec(container: Docker.Container, opts: ExecOptions): Promise<ExecResult> {
  const deadline = Date.now() + opts.timeoutMs;
  const left = (): number => Math.max(1, deadline - Date.now());
  const withStdin = opts.stdin !== undefined;

  const exec = await withTimeout(
    container.exec({
      Cmd: [...opts.cmd],
      AttachStdin: withStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Env: [...EXEC_ENV],
      WorkingDir: BOX_DIR,
    }),
    left(),
    `${opts.what}: exec create`,
  );

  const started = exec.start({ hijack: true, stdin: withStdin });
  const s: Duplex = await withTimeout(started, left(), `${opts.what}: exec start`, () => {
    void started.then((s) => s.destroy(), () => undefined);
  });

  const demux = new StreamDemuxer(opts.maxOutputBytes);
  const finished = new Promise<void>((resolve, reject) => {
    s.on('data', (chunk: Buffer) => demux.push(chunk));
    s.on('end', resolve);
    s.on('close', resolve);
    s.on('error', reject);
  });
  // end() half-closes the socket after the data is flushed: the engine then closes the
  // command's stdin. Without stdin the command gets EOF at once.
  if (withStdin) s.end(opts.stdin);
  else s.end();
  await withTimeout(finished, left(), `${opts.what}: exec`, () => s.destroy());
  s.destroy();

  // The engine may report the exec as running for a moment after the stream closes.
  for (;;) {
    const info = await withTimeout(exec.inspect(), left(), `${opts.what}: exec inspect`);
    if (!info.Running && info.ExitCode !== null) {
      return { exitCode: info.ExitCode, stdout: demux.stdout(), stderr: demux.stderr() };
    }
    if (Date.now() >= deadline) throw new DockerTimeoutError(`${opts.what}: exec exit`, opts.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
