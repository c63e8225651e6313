import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeJson, type BusNames, type ViewChanged } from '../bus/index.js';

type Listener = (change: ViewChanged) => void;

/**
 * One NATS subscription per api process for every view change the projector announces,
 * fanned out locally to the subscriptions that care. A thousand browsers watching one
 * submission cost one NATS message per change, not a thousand.
 */
export class ViewHub {
  private readonly bySubmission = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    /** told the number of listeners whenever it changes (a gauge) */
    private readonly onListeners: (count: number) => void = () => {},
  ) {}

  start(): void {
    const sub = this.nc.subscribe(`${this.names.namespace}.views.submission.*`);
    this.subscription = sub;
    void (async () => {
      for await (const msg of sub) {
        let change: ViewChanged;
        try {
          change = decodeJson<ViewChanged>(msg.data);
        } catch {
          continue;
        }
        for (const l of this.bySubmission.get(change.submissionId) ?? []) l(change);
        for (const l of this.everything) l(change);
      }
    })();
  }

  /** Listens to one submission's changes, or to all (id null). Returns the unsubscribe. */
  listen(submissionId: string | null, listener: Listener): () => void {
    let set = submissionId === null ? this.everything : this.bySubmission.get(submissionId);
    if (!set) this.bySubmission.set(submissionId!, (set = new Set()));
    set.add(listener);
    this.onListeners(this.listeners);
    return () => {
      set.delete(listener);
      if (submissionId !== null && set.size === 0) this.bySubmission.delete(submissionId);
      this.onListeners(this.listeners);
    };
  }

  get listeners(): number {
    let n = this.everything.size;
    for (const set of this.bySubmission.values()) n += set.size;
    return n;
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }
}

/**
 * An async iterator over changes, for a graphql-ws subscription: buffered, so no change is lost
 * while the previous one is being resolved; ends (and unsubscribes) when the client completes.
 */
export function changesOf(hub: ViewHub, submissionId: string | null): AsyncIterableIterator<ViewChanged> {
  const queue: ViewChanged[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const stop = hub.listen(submissionId, (change) => {
    queue.push(change);
    wake?.();
  });
  const finish = (): IteratorResult<ViewChanged> => {
    done = true;
    stop();
    wake?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      while (!done && queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = null;
      if (done) return { value: undefined, done: true };
      return { value: queue.shift()!, done: false };
    },
    return: async () => finish(),
    throw: async () => finish(),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
