/**
 * Splits Docker's multiplexed attach stream (no TTY): frames of an 8-byte header — stream type
 * (1 stdout, 2 stderr, 3 engine error), 3 zero bytes, big-endian payload length — then the
 * payload. Chunks from the socket may split headers and payloads anywhere; payloads are handed
 * on as they arrive, never gathered, so a large reply costs no extra copy here.
 */
export class FrameSplitter {
  private header = Buffer.alloc(8);
  private headerFill = 0;
  private type = 0;
  /** payload bytes still to come in the current frame */
  private left = 0;

  constructor(private readonly onPayload: (type: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.left === 0) {
        const take = Math.min(8 - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        at += take;
        if (this.headerFill < 8) return;
        this.headerFill = 0;
        this.type = this.header[0]!;
        this.left = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.left, chunk.length - at);
      // A copy: the socket may reuse the chunk's memory.
      this.onPayload(this.type, Buffer.from(chunk.subarray(at, at + take)));
      this.left -= take;
      at += take;
    }
  }

  /** true when the stream ended in the middle of a frame */
  get incomplete(): boolean {
    return this.left > 0 || this.headerFill > 0;
  }
}
