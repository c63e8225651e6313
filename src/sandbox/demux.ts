/**
 * Splits Docker's multiplexed attach stream (no TTY): frames of an 8-byte header — stream type
 * (1 stdout, 2 stderr, 3 engine error), 3 zero bytes, big-endian payload length — then the
 * payload. Chunks from the socket may split headers and payloads anywhere.
 *
 * Each stream keeps at most `maxBytes`; the rest is counted but dropped, so a chatty process
 * cannot exhaust the worker's memory.
 */
export class StreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private outBytes = 0;
  private errBytes = 0;
  /** bytes received per stream, including dropped ones */
  totalStdout = 0;
  totalStderr = 0;

  constructor(private readonly maxBytes: number = Number.MAX_SAFE_INTEGER) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const type = this.pending[0]!;
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      this.take(type, this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }

  /** true when the stream ended in the middle of a frame */
  get incomplete(): boolean {
    return this.pending.length > 0;
  }

  stdout(): Buffer {
    return Buffer.concat(this.out);
  }

  stderr(): Buffer {
    return Buffer.concat(this.err);
  }

  private take(type: number, payload: Buffer): void {
    if (type === 1) {
      this.totalStdout += payload.length;
      this.outBytes = keep(this.out, payload, this.outBytes, this.maxBytes);
    } else {
      // 2 = stderr, 3 = an error written by the engine itself; both are diagnostics.
      this.totalStderr += payload.length;
      this.errBytes = keep(this.err, payload, this.errBytes, this.maxBytes);
    }
  }
}

function keep(into: Buffer[], payload: Buffer, have: number, max: number): number {
  const room = max - have;
  if (room <= 0) return have;
  const part = payload.length > room ? payload.subarray(0, room) : payload;
  // Copy: the socket may reuse the chunk's memory.
  into.push(Buffer.from(part));
  return have + part.length;
}
