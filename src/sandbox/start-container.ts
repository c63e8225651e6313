import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { RuntimeName } from '../languages/index.js';
import { sandboxContainerSpec } from './container-spec.js';
import type { ContainerResources } from './limits.js';
import { PROTOCOL_VERSION, replyWord } from './supervisor-protocol.js';
import { Supervisor } from './supervisor.js';
import { withTimeout } from './with-timeout.js';

export const DOCKER_TIMEOUT_MS = 30_000;

/** A started sandbox container whose supervisor answered; not yet given to any submission. */
export interface LiveContainer {
  readonly container: Docker.Container;
  readonly supervisor: Supervisor;
  readonly runtime: RuntimeName;
  /** memory and pids as the container has them now */
  applied: ContainerResources;
}

export interface StartContainerInput {
  docker: Docker;
  namespace: string;
  runtime: RuntimeName;
  image: string;
  resources: ContainerResources;
  labels?: Record<string, string> | undefined;
}

/**
 * Creates the hardened container, attaches to its pid 1 before starting it (so it is never
 * without its worker), starts it and waits for the supervisor's PING reply.
 */
export async function startContainer(input: StartContainerInput): Promise<LiveContainer> {
  const spec = sandboxContainerSpec({ image: input.image, namespace: input.namespace, labels: input.labels, resources: input.resources });
  const container = await withTimeout(input.docker.createContainer(spec), DOCKER_TIMEOUT_MS, 'create sandbox container').catch((err: unknown) => {
    if ((err as { statusCode?: number }).statusCode === 404) {
      throw new Error(`sandbox: runtime image ${input.image} is missing; run \`node scripts/setup-docker.mjs\``, { cause: err });
    }
    throw err;
  });
  let supervisor: Supervisor | undefined;
  try {
    const attached = container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }) as Promise<unknown>;
    const stream = (await withTimeout(attached, DOCKER_TIMEOUT_MS, 'attach sandbox container', () => {
      void attached.then((s) => (s as Duplex).destroy(), () => undefined);
    })) as Duplex;
    supervisor = new Supervisor(stream);
    await withTimeout(container.start(), DOCKER_TIMEOUT_MS, 'start sandbox container');
    const hello = await supervisor.request([Buffer.from('PING\n')], (r) => r.line(4096), DOCKER_TIMEOUT_MS, 'sandbox supervisor PING');
    if (replyWord(hello, 'OK') !== `box-run ${PROTOCOL_VERSION}`) {
      throw new Error(`sandbox: the image's box-run speaks "${hello}", this worker protocol ${PROTOCOL_VERSION}; run \`node scripts/setup-docker.mjs\``);
    }
    return { container, supervisor, runtime: input.runtime, applied: input.resources };
  } catch (err) {
    supervisor?.close();
    await removeContainer(container).catch(() => undefined);
    throw err;
  }
}

/** Force-removes a container; already gone (or going) is fine. */
export async function removeContainer(container: Docker.Container): Promise<void> {
  try {
    await withTimeout(container.remove({ force: true, v: true }), DOCKER_TIMEOUT_MS, 'remove sandbox container');
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw err;
  }
}
