import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandboxPool, removeLeftoverSandboxes } from '../../src/sandbox/index.js';
import { sandboxContainerSpec } from '../../src/sandbox/container-spec.js';
import { docker, lang, limits, useSandboxes } from './harness.js';

const { namespace } = useSandboxes('pool');
const pool = createSandboxPool({ docker, namespace, size: { gcc: 1, python: 2 }, runtimes: ['gcc', 'python'] });
afterAll(() => pool.close());

const poolContainers = async (runtime: string) =>
  (await docker.listContainers({ filters: { label: [`judge.sandbox=${namespace}`, `judge.pool=${runtime}`] } })).map((c) => c.Id);

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sandbox pool', () => {
  it('keeps warm containers per runtime, each hardened from creation', async () => {
    await pool.ready();
    expect(pool.idle()).toEqual({ gcc: 1, python: 2 });
    const [id] = await poolContainers('gcc');
    const info = await docker.getContainer(id!).inspect();
    const expected = sandboxContainerSpec({ image: 'x', namespace, resources: { memoryBytes: 1, pidsLimit: 1 } }).HostConfig!;
    expect(info.HostConfig).toMatchObject({
      NetworkMode: expected.NetworkMode,
      CapDrop: expected.CapDrop,
      SecurityOpt: expected.SecurityOpt,
      ReadonlyRootfs: true,
      OomKillDisable: true,
      Tmpfs: expected.Tmpfs,
      AutoRemove: true,
    });
    expect([...(info.HostConfig.CapAdd ?? [])].sort()).toEqual(['KILL', 'SETGID', 'SETPCAP', 'SETUID']);
    expect(info.State.Running).toBe(true);
  });

  it('hands out a warm container, one submission per container, and refills in the background', async () => {
    await pool.ready();
    const warm = await poolContainers('python');
    const a = await pool.acquire({ language: lang('python'), source: 'print(input())\n', limits });
    const b = await pool.acquire({ language: lang('python'), source: 'print(input() * 2)\n', limits });
    expect(warm).toContain(a.id);
    expect(warm).toContain(b.id);
    expect(a.id).not.toBe(b.id);
    expect(await a.run('x', limits)).toMatchObject({ exitCode: 0, stdout: 'x\n' });
    expect(await b.run('y', limits)).toMatchObject({ exitCode: 0, stdout: 'yy\n' });
    await a.close();
    await b.close();
    await expect(docker.getContainer(a.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await pool.ready();
    expect(pool.idle().python).toBe(2);
    const refilled = await poolContainers('python');
    expect(refilled).not.toContain(a.id);
    expect(refilled).not.toContain(b.id);
  });

  it('compiles once and runs many tests with a few ms of overhead each', async () => {
    const sb = await pool.acquire({ language: lang('c'), source: '#include <stdio.h>\nint main(void){ int x; if (scanf("%d", &x) != 1) return 1; printf("%d\\n", 2 * x); return 0; }\n', limits });
    expect(await sb.compile()).toMatchObject({ success: true });
    await sb.run('0', limits); // the first run resizes the container to the run limits
    let overhead = 0;
    const n = 20;
    for (let i = 1; i <= n; i++) {
      const started = performance.now();
      const r = await sb.run(String(i), limits);
      overhead += performance.now() - started - r.wallTimeMs;
      expect(r).toMatchObject({ exitCode: 0, stdout: `${2 * i}\n` });
    }
    // Measured on this machine: about 3 ms (see bench/). A Docker exec per test costs tens of ms.
    expect(overhead / n).toBeLessThan(20);
    await sb.close();
  });

  it('replaces a warm container that died while idle', async () => {
    await pool.ready();
    const [dead] = await poolContainers('gcc');
    await docker.getContainer(dead!).kill();
    await until('the pool noticed', async () => (await poolContainers('gcc')).length === 0 || pool.idle().gcc === 0);
    const sb = await pool.acquire({ language: lang('c'), source: 'int main(void){return 7;}\n', limits });
    expect(sb.id).not.toBe(dead);
    await sb.compile();
    expect(await sb.run('', limits)).toMatchObject({ exitCode: 7 });
    await sb.close();
  });

  it('acquires even when no warm container is idle, starting one', async () => {
    const small = createSandboxPool({ docker, namespace, size: 0, runtimes: ['python'] });
    const sb = await small.acquire({ language: lang('python'), source: 'print(42)\n', limits });
    expect(await sb.run('', limits)).toMatchObject({ stdout: '42\n' });
    await sb.close();
    await small.close();
  });

  it('close() removes the idle containers', async () => {
    const other = `${namespace}_close`;
    const p = createSandboxPool({ docker, namespace: other, size: 1, runtimes: ['python'] });
    await p.ready();
    const ids = (await docker.listContainers({ filters: { label: [`judge.sandbox=${other}`] } })).map((c) => c.Id);
    expect(ids).toHaveLength(1);
    await p.close();
    await until('the idle container is gone', async () => (await docker.listContainers({ all: true, filters: { label: [`judge.sandbox=${other}`] } })).length === 0);
    await expect(p.acquire({ language: lang('python'), source: '', limits })).rejects.toThrow(/closed/);
  });
});

describe('leftovers of a crashed worker', () => {
  it('vanish by themselves: a killed worker\'s warm and in-use containers stop and are removed', async () => {
    const crashed = `${namespace}_crash`;
    const fixture = fileURLToPath(new URL('./fixtures/crashing-worker.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, crashed], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, s) => resolve(s)));
    expect(signal).toBe('SIGKILL');
    const seen = JSON.parse(out) as { inUse: string; all: string[] };
    expect(seen.all).toHaveLength(2); // the one in use and its replacement
    expect(seen.all).toContain(seen.inUse);
    await until('the containers are gone', async () => (await docker.listContainers({ all: true, filters: { label: [`judge.sandbox=${crashed}`] } })).length === 0);
  });

  it('removeLeftoverSandboxes removes dead ones but not those of live workers', async () => {
    const ns = `${namespace}_left`;
    const live = createSandboxPool({ docker, namespace: ns, size: 1, runtimes: ['python'] });
    await live.ready();
    // What a worker that died between create and start leaves: a container that never ran.
    const spec = sandboxContainerSpec({ image: 'judge-runtime-python:latest', namespace: ns, resources: { memoryBytes: 256 << 20, pidsLimit: 8 } });
    const stale = await docker.createContainer(spec);
    expect(await removeLeftoverSandboxes(docker, ns)).toBe(1);
    await expect(stale.inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(live.idle().python).toBe(1);
    const sb = await live.acquire({ language: lang('python'), source: 'print("still here")\n', limits });
    expect(await sb.run('', limits)).toMatchObject({ stdout: 'still here\n' });
    await sb.close();
    await live.close();
    expect(await removeLeftoverSandboxes(docker, ns, { all: true })).toBe(0);
  });
});
