import { describe, expect, it } from 'vitest';
import { sandboxContainerSpec } from '../../src/sandbox/container-spec.js';
import { pickRuntimeImages } from '../../src/sandbox/list-runtimes.js';

describe('sandboxContainerSpec', () => {
  const spec = sandboxContainerSpec({
    image: 'judge-runtime-python:latest',
    namespace: 'ns1',
    labels: { 'judge.submission': 's1', 'judge.sandbox': 'spoofed' },
    resources: { memoryBytes: 100 * 1024 * 1024, pidsLimit: 11 },
  });

  it('is hardened from creation, whatever it will run', () => {
    expect(spec).toMatchObject({
      Image: 'judge-runtime-python:latest',
      Entrypoint: ['/usr/local/bin/box-run'],
      Cmd: ['serve'],
      Env: [],
      NetworkDisabled: true,
      OpenStdin: true,
      StdinOnce: true,
      Tty: false,
    });
    expect(spec.HostConfig).toMatchObject({
      NetworkMode: 'none',
      Memory: 100 * 1024 * 1024,
      MemorySwap: 100 * 1024 * 1024,
      OomKillDisable: true,
      NanoCpus: 1_000_000_000,
      PidsLimit: 11,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Privileged: false,
      IpcMode: 'private',
      AutoRemove: true,
      Binds: [],
      Mounts: [],
    });
    // Only what the supervisor needs to become the sandbox user and end a run's processes.
    expect([...(spec.HostConfig?.CapAdd ?? [])].sort()).toEqual(['KILL', 'SETGID', 'SETPCAP', 'SETUID']);
    const tmpfs = spec.HostConfig?.Tmpfs ?? {};
    expect(Object.keys(tmpfs).sort()).toEqual(['/box', '/run/judge', '/tmp']);
    expect(tmpfs['/box']).toMatch(/(^|,)exec(,|$)/);
    expect(tmpfs['/box']).toMatch(/uid=10001/);
    for (const opts of Object.values(tmpfs)) {
      expect(opts).toMatch(/nosuid/);
      expect(opts).toMatch(/nodev/);
      expect(opts).toMatch(/size=\d+/);
      expect(opts).toMatch(/nr_inodes=\d+/);
    }
    expect(tmpfs['/tmp']).toMatch(/noexec/);
    expect(tmpfs['/run/judge']).toMatch(/mode=0700/);
    expect(tmpfs['/run/judge']).toMatch(/noexec/);
    expect(spec.HostConfig?.ShmSize).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it('labels with the namespace, which callers cannot override', () => {
    expect(spec.Labels).toEqual({ 'judge.submission': 's1', 'judge.sandbox': 'ns1', 'judge.supervised': '1' });
  });
});

describe('pickRuntimeImages', () => {
  const image = (id: string, tags: string[], labels: Record<string, string>) =>
    ({ Id: id, RepoTags: tags, Labels: labels }) as never;

  it('lists one image per known runtime, in registry order, preferring the canonical tag', () => {
    const found = pickRuntimeImages([
      image('sha256:n', ['judge-runtime-node:latest'], { 'judge.runtime': 'node', 'judge.version.node': '18.20.4' }),
      image('sha256:p2', ['scratch-python:test'], { 'judge.runtime': 'python' }),
      image('sha256:p', ['judge-runtime-python:latest'], { 'judge.runtime': 'python', 'judge.version.python': '3.11.2' }),
      image('sha256:x', ['other:latest'], { 'judge.runtime': 'cobol' }),
    ]);
    expect(found).toEqual([
      { runtime: 'python', image: 'judge-runtime-python:latest', labels: { 'judge.runtime': 'python', 'judge.version.python': '3.11.2' } },
      { runtime: 'node', image: 'judge-runtime-node:latest', labels: { 'judge.runtime': 'node', 'judge.version.node': '18.20.4' } },
    ]);
  });

  it('falls back to another tag or the id', () => {
    expect(pickRuntimeImages([image('sha256:g', ['<none>:<none>'], { 'judge.runtime': 'gcc' })])[0]?.image).toBe('sha256:g');
    expect(pickRuntimeImages([image('sha256:g', ['mine:1'], { 'judge.runtime': 'gcc' })])[0]?.image).toBe('mine:1');
  });
});
