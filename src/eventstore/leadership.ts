import pg from 'pg';

/**
 * Singleton roles (relay, projector) hold a session-level advisory lock on a connection of
 * their own. A second replica polls for the lock and takes over when the holder's session ends.
 */
export interface Leadership {
  /** aborts when the lock is lost (the connection broke) */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export async function acquireLeadership(
  databaseUrl: string,
  lockName: string,
  signal: AbortSignal,
  pollMs = 1000,
): Promise<Leadership | null> {
  while (!signal.aborted) {
    // Keepalives both ways: if the leader's host vanishes, Postgres drops its session (and the
    // lock) within about 20 s instead of the kernel's default of hours.
    const client = new pg.Client({
      connectionString: databaseUrl,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
      options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3',
    });
    const lost = new AbortController();
    client.on('error', () => lost.abort());
    client.on('end', () => lost.abort());
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockName]);
      if (rows[0]?.ok) {
        return {
          lost: lost.signal,
          release: async () => {
            await client.end().catch(() => {});
          },
        };
      }
    } catch {
      // Postgres unreachable: try again after the pause.
    }
    await client.end().catch(() => {});
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      signal.addEventListener('abort', done, { once: true });
    });
  }
  return null;
}
