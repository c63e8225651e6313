import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync } from 'node:fs';
import { eventually } from './log.js';

// Stops and starts the machine's real services for the fault suite. Run alone: every other test
// would notice too.

const pidOf = (name: string): number | null => {
  try {
    return Number(execFileSync('pgrep', ['-o', '-x', name], { encoding: 'utf8' }).trim()) || null;
  } catch {
    return null;
  }
};
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const gone = (pid: number) => eventually(() => !alive(pid), 30_000, 100);

/** Stops nats-server and returns a function that starts it again with the same arguments. */
export async function stopNats(): Promise<() => Promise<void>> {
  const pid = pidOf('nats-server');
  if (!pid) throw new Error('nats-server is not running');
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  process.kill(pid, 'SIGTERM');
  await gone(pid);
  return async () => {
    spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'ignore' }).unref();
    await eventually(() => pidOf('nats-server') !== null, 30_000, 100);
  };
}

const postgresCluster = (): [string, string] => [readdirSync('/etc/postgresql')[0]!, 'main'];

// Asynchronous on purpose: blocking the test's event loop for seconds would leave its HTTP client
// holding keep-alive sockets the server has closed meanwhile.
const pgCtl = (...args: string[]) => promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', ...postgresCluster(), ...args]);

export async function stopPostgres(): Promise<() => Promise<void>> {
  await pgCtl('stop', '-m', 'fast');
  return async () => void (await pgCtl('start'));
}

/** Stops dockerd (its containers stop with it); the returned function starts it as the setup does. */
export async function stopDocker(): Promise<() => Promise<void>> {
  const pid = pidOf('dockerd');
  if (!pid) throw new Error('dockerd is not running');
  process.kill(pid, 'SIGTERM');
  await gone(pid);
  return async () => {
    const { ensureDocker } = (await import('../../scripts/setup-docker.mjs')) as { ensureDocker: (log: (s: string) => void) => Promise<void> };
    await ensureDocker(() => {});
  };
}
