import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { sandboxContainerSpec } from '../src/sandbox/container-spec.js';
import { FrameSplitter } from '../src/sandbox/demux.js';

/**
 * What a judge without warm sandboxes does per test: one fresh container, hardened like ours
 * (same network, capabilities, read-only root, tmpfs, limits) but running the program as the
 * sandbox user directly, with the build copied in (base64 in the command: /box is a tmpfs that
 * only exists once the container runs). Create, attach, start, feed stdin, wait, remove.
 */
export async function runInFreshContainer(docker: Docker, image: string, namespace: string, binary: Buffer, stdin: string): Promise<string> {
  const spec = sandboxContainerSpec({ image, namespace, resources: { memoryBytes: 512 << 20, pidsLimit: 64 } });
  const script = 'printf %s "$1" | base64 -d > /box/main && chmod 755 /box/main && exec /box/main';
  const container = await docker.createContainer({
    ...spec,
    User: '10001:10001',
    Entrypoint: ['sh', '-c', script, 'sh', binary.toString('base64')],
    Cmd: [],
    HostConfig: { ...spec.HostConfig, CapAdd: [], AutoRemove: false, OomKillDisable: false },
  });
  try {
    const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
    let out = '';
    const frames = new FrameSplitter((type, payload) => {
      if (type === 1) out += payload.toString();
    });
    stream.on('data', (c: Buffer) => frames.push(c));
    const ended = new Promise((resolve) => stream.on('end', resolve));
    await container.start();
    stream.end(stdin);
    await container.wait();
    await ended;
    return out;
  } finally {
    await container.remove({ force: true });
  }
}
