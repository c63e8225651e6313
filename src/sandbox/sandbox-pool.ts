import { runtimeImage, type RuntimeName } from '../languages/index.js';
import { DockerSandbox } from './docker-sandbox.js';
import { COMPILE_DEFAULTS, compileResources } from './limits.js';
import { listRuntimes } from './list-runtimes.js';
import { removeContainer, startContainer, type LiveContainer } from './start-container.js';
import { SandboxLostError } from './supervisor.js';
import type { Sandbox, SandboxOptions, SandboxPool, SandboxPoolOptions } from './types.js';

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/**
 * Keeps `size` started, hardened, idle containers per runtime image, so a submission never waits
 * for one to be created. Each container serves one submission only: acquire() takes it out of
 * the pool for good (its sandbox's close() removes it) and the pool starts a replacement in the
 * background, one at a time so refilling never competes much with judging. Containers are
 * created with the full hardening and the compiler's resources; a submission's own limits are
 * applied when it compiles or runs. A container whose worker dies stops by itself (its
 * supervisor sees the end of its stdin) and Docker removes it.
 */
export function createSandboxPool(opts: SandboxPoolOptions): SandboxPool {
  return new Pool(opts);
}

class Pool implements SandboxPool {
  private readonly idleBy = new Map<RuntimeName, LiveContainer[]>();
  private runtimes: RuntimeName[] | null = null;
  private readonly discovered: Promise<void>;
  private refilling: Promise<void> | null = null;
  private closed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(private readonly opts: SandboxPoolOptions) {
    this.discovered = this.discover();
    void this.discovered.then(() => this.refill());
  }

  async acquire(options: SandboxOptions): Promise<Sandbox> {
    if (this.closed) throw new Error('sandbox pool: closed');
    const runtime = options.language.runtime;
    const warm = this.take(runtime);
    this.refill();
    const prepared = { ...options, labels: undefined };
    if (warm) {
      try {
        return await DockerSandbox.prepare(warm, prepared);
      } catch (err) {
        // A warm container can die while idle (engine restarted, removed by hand): use a new one.
        if (!(err instanceof SandboxLostError)) throw err;
        this.opts.onError?.(err);
      }
    }
    return DockerSandbox.prepare(await this.start(runtime), prepared);
  }

  /** Rejects with the error when starting a container failed (the pool keeps retrying). */
  async ready(): Promise<void> {
    await this.discovered;
    while (!this.closed && !this.full()) {
      await new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    }
  }

  idle(): Partial<Record<RuntimeName, number>> {
    const out: Partial<Record<RuntimeName, number>> = {};
    for (const [runtime, list] of this.idleBy) out[runtime] = list.length;
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wakeWaiters();
    await this.refilling?.catch(() => undefined);
    const all = [...this.idleBy.values()].flat();
    this.idleBy.clear();
    await Promise.all(
      all.map(async (live) => {
        live.supervisor.close();
        await removeContainer(live.container).catch(() => undefined);
      }),
    );
  }

  private async discover(): Promise<void> {
    if (this.opts.runtimes) {
      this.runtimes = [...this.opts.runtimes];
      return;
    }
    try {
      const present = await listRuntimes(this.opts.docker);
      this.runtimes = present.map((r) => r.runtime);
    } catch (err) {
      this.opts.onError?.(err);
      this.runtimes = [];
    }
  }

  private target(runtime: RuntimeName): number {
    const size = this.opts.size ?? 1;
    return typeof size === 'number' ? size : (size[runtime] ?? 0);
  }

  private full(): boolean {
    return (this.runtimes ?? []).every((r) => (this.idleBy.get(r)?.length ?? 0) >= this.target(r));
  }

  /** An idle container whose supervisor is still there; dead ones are dropped. */
  private take(runtime: RuntimeName): LiveContainer | undefined {
    const list = this.idleBy.get(runtime) ?? [];
    while (list.length > 0) {
      const live = list.shift()!;
      if (live.supervisor.alive) return live;
      void removeContainer(live.container).catch(() => undefined);
    }
    return undefined;
  }

  private start(runtime: RuntimeName): Promise<LiveContainer> {
    return startContainer({
      docker: this.opts.docker,
      namespace: this.opts.namespace,
      runtime,
      image: runtimeImage(runtime),
      resources: compileResources(COMPILE_DEFAULTS),
      labels: { ...this.opts.labels, 'judge.pool': runtime },
    });
  }

  /** Starts the background refill unless it is running (or waiting to retry). */
  private refill(): void {
    if (this.closed || this.refilling || this.retryTimer || this.runtimes === null) return;
    this.refilling = this.fill().finally(() => {
      this.refilling = null;
    });
  }

  private async fill(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const runtime = this.mostNeeded();
      if (!runtime) {
        this.wakeWaiters();
        return;
      }
      try {
        const live = await this.start(runtime);
        if (this.closed) {
          live.supervisor.close();
          await removeContainer(live.container).catch(() => undefined);
          return;
        }
        const list = this.idleBy.get(runtime) ?? [];
        list.push(live);
        this.idleBy.set(runtime, list);
        this.failures = 0;
      } catch (err) {
        this.opts.onError?.(err);
        this.wakeWaiters(err);
        // Back off (an image may be missing, or the engine overloaded); acquire() still works,
        // starting containers itself.
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures++);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.refill();
        }, delay);
        this.retryTimer.unref();
        return;
      }
    }
  }

  /** The runtime furthest below its target, dead idle containers not counted. */
  private mostNeeded(): RuntimeName | undefined {
    let best: RuntimeName | undefined;
    let bestGap = 0;
    for (const runtime of this.runtimes ?? []) {
      const all = this.idleBy.get(runtime) ?? [];
      const list = all.filter((l) => l.supervisor.alive);
      for (const dead of all.filter((l) => !l.supervisor.alive)) void removeContainer(dead.container).catch(() => undefined);
      this.idleBy.set(runtime, list);
      const gap = this.target(runtime) - list.length;
      if (gap > bestGap) {
        best = runtime;
        bestGap = gap;
      }
    }
    return best;
  }

  private wakeWaiters(err?: unknown): void {
    for (const w of this.waiters.splice(0)) {
      if (err === undefined) w.resolve();
      else w.reject(err);
    }
  }
}
