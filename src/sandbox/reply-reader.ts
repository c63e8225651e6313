/**
 * The supervisor's replies as they arrive: whole lines and exact byte counts, read in order by
 * one request at a time. Chunks are kept as they came and joined only once per read.
 */
export class ReplyReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended: Error | null = null;
  private wake: (() => void) | null = null;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.wake?.();
  }

  /** No more data will come: pending and later reads fail with `err` once the data runs out. */
  end(err: Error): void {
    this.ended ??= err;
    this.wake?.();
  }

  get buffered(): number {
    return this.length;
  }

  /** The next line, without its newline; fails past `maxBytes` without one. */
  async line(maxBytes: number): Promise<string> {
    let searched = 0;
    for (;;) {
      const at = this.indexOfNewline(searched);
      if (at >= 0) return this.take(at + 1).subarray(0, at).toString('utf8');
      searched = this.length;
      if (this.length > maxBytes) throw new Error(`supervisor: reply line longer than ${maxBytes} bytes`);
      await this.more();
    }
  }

  async bytes(n: number): Promise<Buffer> {
    while (this.length < n) await this.more();
    return this.take(n);
  }

  private more(): Promise<void> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
    });
  }

  private indexOfNewline(from: number): number {
    let base = 0;
    for (const chunk of this.chunks) {
      if (base + chunk.length > from) {
        const i = chunk.indexOf(0x0a, Math.max(0, from - base));
        if (i >= 0) return base + i;
      }
      base += chunk.length;
    }
    return -1;
  }

  private take(n: number): Buffer {
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.chunks[0]!;
      if (head.length <= need) {
        parts.push(head);
        this.chunks.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        this.chunks[0] = head.subarray(need);
        need = 0;
      }
    }
    this.length -= n;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
  }
}
