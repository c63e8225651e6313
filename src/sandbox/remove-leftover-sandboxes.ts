import type Docker from 'dockerode';
import { SANDBOX_LABEL, SUPERVISED_LABEL } from './container-spec.js';
import { withTimeout } from './with-timeout.js';

const TIMEOUT_MS = 30_000;

export interface RemoveLeftoverOptions {
  /** also running sandboxes of live workers (tests, or a deployment that is shut down) */
  all?: boolean;
}

/**
 * Force-removes what crashed workers left of the namespace's sandboxes: containers that are not
 * running (a supervisor stops when its worker goes away, Docker usually removes it by itself),
 * and any still running from before sandboxes were supervised. Running supervised containers
 * belong to live workers, possibly other processes on the same engine, and stay unless `all`.
 * Returns how many were removed.
 */
export async function removeLeftoverSandboxes(docker: Docker, namespace: string, options: RemoveLeftoverOptions = {}): Promise<number> {
  const containers = await withTimeout(
    docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=${namespace}`] } }),
    TIMEOUT_MS,
    'list sandbox containers',
  );
  let removed = 0;
  for (const info of containers) {
    const live = info.State === 'running' && info.Labels?.[SUPERVISED_LABEL] !== undefined;
    if (live && !options.all) continue;
    try {
      await withTimeout(docker.getContainer(info.Id).remove({ force: true, v: true }), TIMEOUT_MS, 'remove sandbox container');
      removed++;
    } catch (err) {
      // Already gone (e.g. removed concurrently, or by AutoRemove) is what we wanted.
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409) throw err;
    }
  }
  return removed;
}
