import { runtimeImage } from '../languages/index.js';
import { DockerSandbox } from './docker-sandbox.js';
import { compileResources, resolveCompileLimits } from './limits.js';
import { startContainer } from './start-container.js';
import type { OpenSandboxOptions, Sandbox } from './types.js';

/**
 * A sandbox in a container started for this submission alone (about a third of a second of
 * Docker work; a SandboxPool takes that off the critical path). The source is written before
 * this resolves.
 */
export async function openSandbox(opts: OpenSandboxOptions): Promise<Sandbox> {
  const live = await startContainer({
    docker: opts.docker,
    namespace: opts.namespace,
    runtime: opts.language.runtime,
    image: runtimeImage(opts.language.runtime),
    resources: compileResources(resolveCompileLimits(opts.compileLimits)),
    labels: opts.labels,
  });
  return DockerSandbox.prepare(live, opts);
}
