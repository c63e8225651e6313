import type { Duplex } from 'node:stream';
import { FrameSplitter } from './demux.js';
import { ReplyReader } from './reply-reader.js';
import { DockerTimeoutError } from './with-timeout.js';

/** The supervisor is gone (container stopped, stream broken, or it did not answer in time). */
export class SandboxLostError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`sandbox lost: ${message}`, options);
    this.name = 'SandboxLostError';
  }
}

const DIAGNOSTICS_BYTES = 4096;

/**
 * One attached stream to a container's pid 1 (box-run serve): requests go out on its stdin,
 * replies come back on its stdout, its stderr is kept for error messages. One request at a
 * time; a request that times out or breaks the stream ends the connection for good.
 */
export class Supervisor {
  private readonly reader = new ReplyReader();
  private diagnostics = '';
  private queue: Promise<unknown> = Promise.resolve();
  private lost: SandboxLostError | null = null;

  constructor(private readonly stream: Duplex) {
    const frames = new FrameSplitter((type, payload) => {
      if (type === 1) this.reader.push(payload);
      else this.diagnostics = (this.diagnostics + payload.toString('utf8')).slice(-DIAGNOSTICS_BYTES);
    });
    stream.on('data', (chunk: Buffer) => frames.push(chunk));
    const gone = (why: string) => (err?: Error) => this.markLost(err ? `${why}: ${err.message}` : why);
    stream.on('end', gone('the supervisor closed its output'));
    stream.on('close', gone('the stream closed'));
    stream.on('error', gone('stream error'));
  }

  get alive(): boolean {
    return this.lost === null;
  }

  /** Writes the request and reads its reply, with a deadline for both. */
  request<T>(parts: readonly Buffer[], read: (reader: ReplyReader) => Promise<T>, timeoutMs: number, what: string): Promise<T> {
    const step = async (): Promise<T> => {
      if (this.lost) throw this.lost;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DockerTimeoutError(what, timeoutMs)), timeoutMs);
      });
      try {
        return await Promise.race([this.exchange(parts, read), deadline]);
      } catch (err) {
        // A timeout leaves the stream between two messages: nothing after it can be trusted.
        if (err instanceof DockerTimeoutError) {
          this.markLost(err.message, err);
          this.stream.destroy();
        }
        if (this.lost) throw this.lost;
        throw err;
      } finally {
        clearTimeout(timer);
      }
    };
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.markLost('closed');
    this.stream.destroy();
  }

  private async exchange<T>(parts: readonly Buffer[], read: (reader: ReplyReader) => Promise<T>): Promise<T> {
    for (const part of parts) {
      if (part.length === 0) continue;
      if (!this.stream.write(part)) await this.drained();
    }
    return read(this.reader);
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        if (this.lost) reject(this.lost);
        else resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('close', done);
    });
  }

  private markLost(why: string, cause?: unknown): void {
    if (this.lost) return;
    const said = this.diagnostics.trim();
    this.lost = new SandboxLostError(said ? `${why} (supervisor said: ${said})` : why, cause === undefined ? undefined : { cause });
    this.reader.end(this.lost);
  }
}
