import pg from 'pg';
import { EVENTS_CHANNEL } from './append.js';

/**
 * Wakes tailers when events are appended (LISTEN/NOTIFY on a dedicated connection). Waiting
 * always has a time-out too: polling is the fallback when a notification is missed or the
 * listening connection is down.
 */
export class AppendWaker {
  private client: pg.Client | null = null;
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(private readonly databaseUrl: string) {}

  private async listen(): Promise<void> {
    if (this.client || this.closed) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    this.client = client;
    client.on('notification', () => this.wakeAll());
    client.on('error', () => {
      // Drop it; the next wait reconnects, and the time-out covers the gap.
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch {
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
    }
  }

  private wakeAll(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves at the next append, after `timeoutMs`, or when `signal` aborts. */
  async wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.listen();
    if (signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}
