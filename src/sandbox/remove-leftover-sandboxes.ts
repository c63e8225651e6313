import type Docker from 'dockerode';
import { SANDBOX_LABEL } from './container-spec.js';
import { withTimeout } from './with-timeout.js';

const TIMEOUT_MS = 30_000;

/**
 * Force-removes every container labelled judge.sandbox=<namespace>, running or not: what a
 * crashed worker left behind. Returns how many were removed.
 */
export async function removeLeftoverSandboxes(docker: Docker, namespace: string): Promise<number> {
  const containers = await withTimeout(
    docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=${namespace}`] } }),
    TIMEOUT_MS,
    'list sandbox containers',
  );
  let removed = 0;
  for (const info of containers) {
    try {
      await withTimeout(docker.getContainer(info.Id).remove({ force: true, v: true }), TIMEOUT_MS, 'remove sandbox container');
      removed++;
    } catch (err) {
      // Already gone (e.g. removed concurrently) is what we wanted.
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409) throw err;
    }
  }
  return removed;
}
