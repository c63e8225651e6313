import type Docker from 'dockerode';
import { RUNTIMES, runtimeImage, type RuntimeName } from '../languages/index.js';
import type { RuntimeImage } from './types.js';
import { withTimeout } from './with-timeout.js';

const TIMEOUT_MS = 30_000;

/**
 * The runtime images present on the engine (labelled judge.runtime), one per known runtime, in
 * registry order. When several images carry the same runtime label, the one tagged with the
 * name the sandbox uses wins.
 */
export async function listRuntimes(docker: Docker): Promise<RuntimeImage[]> {
  const images = await withTimeout(
    docker.listImages({ filters: { label: ['judge.runtime'] } }),
    TIMEOUT_MS,
    'list runtime images',
  );
  return pickRuntimeImages(images);
}

export function pickRuntimeImages(images: readonly Docker.ImageInfo[]): RuntimeImage[] {
  const found: RuntimeImage[] = [];
  for (const runtime of RUNTIMES) {
    const canonical = runtimeImage(runtime);
    const candidates = images.filter((img) => img.Labels?.['judge.runtime'] === runtime);
    const best = candidates.find((img) => (img.RepoTags ?? []).includes(canonical)) ?? candidates[0];
    if (!best) continue;
    const tags = (best.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    found.push({
      runtime: runtime satisfies RuntimeName,
      image: tags.includes(canonical) ? canonical : (tags[0] ?? best.Id),
      labels: { ...(best.Labels ?? {}) },
    });
  }
  return found;
}
