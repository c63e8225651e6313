import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLanguage, type LanguageId } from '../../src/languages/index.js';
import { listRuntimes, openSandbox, removeLeftoverSandboxes, type Sandbox, type SandboxLimits } from '../../src/sandbox/index.js';
import { ensureDocker, ensureRuntimeImages } from '../../scripts/setup-docker.mjs';

const namespace = `t_sbx_${randomBytes(4).toString('hex')}`;
const docker = new Docker();
const open: Sandbox[] = [];

const limits: SandboxLimits = { timeMs: 2000, wallTimeMs: 5000, memoryKb: 128 * 1024, outputKb: 64, processes: 32 };

function lang(id: LanguageId) {
  const l = findLanguage(id);
  if (!l) throw new Error(`no language ${id}`);
  return l;
}

async function sandbox(id: LanguageId, source: string, at: SandboxLimits = limits): Promise<Sandbox> {
  const sb = await openSandbox({ docker, namespace, language: lang(id), source, limits: at, labels: { 'judge.test': 'sandbox' } });
  open.push(sb);
  return sb;
}

/** Opens, compiles (must succeed) and runs once. */
async function runOnce(id: LanguageId, source: string, stdin = '', at: SandboxLimits = limits) {
  const sb = await sandbox(id, source, at);
  const compiled = await sb.compile();
  if (compiled) expect(compiled, compiled.output).toMatchObject({ success: true });
  const outcome = await sb.run(stdin, at);
  await sb.close();
  return outcome;
}

// Normally a no-op (the setup ran before); on a fresh machine this builds the images (~1 min).
beforeAll(async () => {
  await ensureDocker(() => {});
  await ensureRuntimeImages(() => {});
}, 15 * 60_000);

afterAll(async () => {
  for (const sb of open) await sb.close().catch(() => undefined);
  await removeLeftoverSandboxes(docker, namespace);
});

describe('sandbox: languages', () => {
  it('python: hello world and stdin echo', async () => {
    const r = await runOnce('python', 'import sys\nprint("hello", sys.stdin.read().strip())\n', 'world\n');
    expect(r).toMatchObject({ exitCode: 0, signal: null, stdout: 'hello world\n', stderr: '' });
    expect(r.cpuTimeExceeded || r.wallTimeExceeded || r.memoryExceeded || r.outputExceeded).toBe(false);
    expect(r.memoryKb).toBeGreaterThan(1000);
    expect(r.wallTimeMs).toBeGreaterThanOrEqual(r.timeMs - 5);
  });

  it('c: compiles and runs', async () => {
    const src = '#include <stdio.h>\n#include <math.h>\nint main(void){long a,b; if(scanf("%ld %ld",&a,&b)!=2) return 1; printf("%ld %.1f\\n", a+b, sqrt(16.0)); return 0;}\n';
    const sb = await sandbox('c', src);
    const compiled = await sb.compile();
    expect(compiled).toMatchObject({ success: true });
    expect(compiled!.timeMs).toBeGreaterThan(0);
    expect(await sb.run('2 40', limits)).toMatchObject({ exitCode: 0, stdout: '42 4.0\n' });
    // The same sandbox runs again with other input and other limits.
    const second = await sb.run('1 1', { ...limits, memoryKb: 32 * 1024, outputKb: 8 });
    expect(second).toMatchObject({ exitCode: 0, stdout: '2 4.0\n', memoryExceeded: false });
  });

  it('cpp: compiles and runs', async () => {
    const src = '#include <bits/stdc++.h>\nint main(){std::vector<int> v; int x; while(std::cin>>x) v.push_back(x); std::sort(v.begin(), v.end()); for(int y: v) std::cout<<y<<" "; std::cout<<"\\n";}\n';
    const r = await runOnce('cpp', src, '3 1 2');
    expect(r).toMatchObject({ exitCode: 0, stdout: '1 2 3 \n' });
  });

  it('javascript: runs', async () => {
    const src = "const s = require('fs').readFileSync(0, 'utf8'); console.log(s.trim().split(/\\s+/).map(Number).reduce((a, b) => a + b, 0));\n";
    const r = await runOnce('javascript', src, '1 2 3 4');
    expect(r).toMatchObject({ exitCode: 0, stdout: '10\n', stderr: '' });
  });

  it('compile() is null for interpreted languages', async () => {
    const sb = await sandbox('python', 'print(1)\n');
    expect(await sb.compile()).toBeNull();
    await sb.close();
  });

  it('a compile error returns success:false with the compiler message', async () => {
    const sb = await sandbox('c', 'int main(void) { return undefined_name; }\n');
    const compiled = await sb.compile();
    expect(compiled?.success).toBe(false);
    expect(compiled?.output).toMatch(/undefined_name/);
    expect(compiled?.output).toMatch(/error/);
    await sb.close();
  });
});

describe('sandbox: limits', () => {
  it('an infinite loop exceeds the CPU limit', async () => {
    const at = { ...limits, timeMs: 1000, wallTimeMs: 10_000 };
    const r = await runOnce('python', 'while True:\n    pass\n', '', at);
    expect(r.cpuTimeExceeded).toBe(true);
    expect(r.timeMs).toBeGreaterThanOrEqual(1000);
    expect(r.timeMs).toBeLessThan(2500);
    expect(r.wallTimeExceeded).toBe(false);
    expect(r.signal).not.toBeNull();
  });

  it('sleeping past the wall limit exceeds it with little CPU time', async () => {
    const r = await runOnce('python', 'import time\ntime.sleep(5)\n', '', { ...limits, wallTimeMs: 1000 });
    expect(r.wallTimeExceeded).toBe(true);
    expect(r.cpuTimeExceeded).toBe(false);
    expect(r.timeMs).toBeLessThan(300);
    expect(r.wallTimeMs).toBeGreaterThanOrEqual(1000);
    expect(r.wallTimeMs).toBeLessThan(2000);
  });

  it('allocating and touching 300 MB under a 64 MB limit exceeds memory', async () => {
    // volatile: the optimizer must not drop the stores (and with them the allocation).
    const src = '#include <stdlib.h>\n#include <stdio.h>\nint main(void){size_t n=300u<<20; volatile char *p=malloc(n); if(!p) return 2; for(size_t i=0;i<n;i+=4096) p[i]=1; printf("%d\\n", p[n-4096]); return 0;}\n';
    const r = await runOnce('c', src, '', { ...limits, memoryKb: 64 * 1024 });
    expect(r.memoryExceeded).toBe(true);
    expect(r.exitCode).not.toBe(0);
    expect(r.signal).toBe(9); // the cgroup's OOM killer
    expect(r.stdout).toBe('');
  });

  it('reports the exit code', async () => {
    const r = await runOnce('c', '#include <stdlib.h>\nint main(void){exit(3);}\n');
    expect(r).toMatchObject({ exitCode: 3, signal: null });
  });

  it('reports the signal of a segfault and of abort()', async () => {
    const segv = await runOnce('c', 'int main(void){ *(volatile int *)0 = 1; return 0; }\n');
    expect(segv).toMatchObject({ exitCode: null, signal: 11 });
    const abrt = await runOnce('cpp', '#include <cstdlib>\nint main(){ std::abort(); }\n');
    expect(abrt).toMatchObject({ exitCode: null, signal: 6 });
  });

  it('printing far beyond the output limit exceeds it and truncates stdout', async () => {
    const at = { ...limits, outputKb: 4 };
    const c = await runOnce('c', '#include <stdio.h>\nint main(void){for(int i=0;i<1000000;i++) puts("0123456789"); return 0;}\n', '', at);
    expect(c.outputExceeded).toBe(true);
    expect(c.stdout.length).toBe(4096);
    expect(c.stdout.startsWith('0123456789\n')).toBe(true);
    // Python ignores SIGXFSZ and fails on the write instead: still exceeded, still truncated.
    const py = await runOnce('python', 'import sys\nfor i in range(10**6):\n    sys.stdout.write("x" * 100)\n', '', at);
    expect(py.outputExceeded).toBe(true);
    expect(py.stdout.length).toBeLessThanOrEqual(4096);
  });

  it('binary output decodes without crashing', async () => {
    const r = await runOnce('c', '#include <stdio.h>\nint main(void){ fwrite("a\\xff\\xfe\\0" "b", 1, 5, stdout); return 0; }\n');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('a\uFFFD\uFFFD\u0000b');
  });

  it('kills background processes the program leaves behind', async () => {
    const sb = await sandbox('python', [
      'import os, subprocess, sys',
      'if sys.stdin.read().strip() == "spawn":',
      '    subprocess.Popen(["sleep", "100"], start_new_session=True)',
      '    print("spawned")',
      'else:',
      '    pids = [p for p in os.listdir("/proc") if p.isdigit()]',
      '    names = [open(f"/proc/{p}/comm").read().strip() for p in pids]',
      '    print(sorted(n for n in names if n == "sleep"))',
      '',
    ].join('\n'));
    expect(await sb.run('spawn', limits)).toMatchObject({ exitCode: 0, stdout: 'spawned\n' });
    // Only pid 1 (the container's idle `sleep infinity`) is left.
    expect(await sb.run('check', limits)).toMatchObject({ exitCode: 0, stdout: "['sleep']\n" });
  });

  it('contains a fork bomb and stays usable', async () => {
    const at = { ...limits, timeMs: 1000, wallTimeMs: 3000, processes: 16 };
    const sb = await sandbox('c', '#include <unistd.h>\n#include <stdio.h>\nint main(void){ char c; if (read(0, &c, 1) == 1 && c == \'b\') for(;;) fork(); puts("fine"); return 0; }\n', at);
    expect(await sb.compile()).toMatchObject({ success: true });
    const bomb = await sb.run('b', at);
    expect(bomb.cpuTimeExceeded || bomb.wallTimeExceeded).toBe(true);
    expect(bomb.wallTimeMs).toBeLessThan(3500);
    expect(await sb.run('n', at)).toMatchObject({ exitCode: 0, stdout: 'fine\n' });
  });

  it('survives a program that replaces its I/O files by a FIFO, a symlink and a directory', async () => {
    const sb = await sandbox('python', [
      'import os, sys',
      'if sys.stdin.read() == "sabotage":',
      '    for f in (".stdin", ".stdout", ".stderr"): os.unlink(f)',
      '    os.mkfifo(".stdin"); os.symlink("/box/main.py", ".stdout"); os.mkdir(".stderr")',
      'print("ok")',
      '',
    ].join('\n'));
    await sb.run('sabotage', limits);
    expect(await sb.run('again', limits)).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
  });
});


describe('sandbox: isolation', () => {
  it('runs as uid 10001 with only lo, a read-only root and none of the host environment', async () => {
    process.env.JUDGE_SECRET_TEST = 'do-not-leak';
    try {
      const src = [
        'import os',
        'print(os.getuid(), os.getgid())',
        'ifaces = [l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:]]',
        'print(",".join(ifaces))',
        'try:',
        '    open("/evil", "w").write("x")',
        '    print("root-writable")',
        'except OSError as e:',
        '    print("root-readonly", e.errno)',
        'print("secret" if "JUDGE_SECRET_TEST" in os.environ else "no-secret")',
        'print(sorted(os.environ))',
        '',
      ].join('\n');
      const r = await runOnce('python', src);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe('10001 10001');
      expect(lines[1]).toBe('lo');
      expect(lines[2]).toBe('root-readonly 30'); // EROFS
      expect(lines[3]).toBe('no-secret');
      expect(r.stdout).not.toContain('do-not-leak');
    } finally {
      delete process.env.JUDGE_SECRET_TEST;
    }
  });

  it('creates the container hardened and labelled', async () => {
    const sb = await sandbox('python', 'print(1)\n');
    const info = await docker.getContainer(sb.id).inspect();
    expect(info.Config.Labels).toMatchObject({ 'judge.sandbox': namespace, 'judge.test': 'sandbox' });
    expect(info.Config.User).toBe('10001:10001');
    expect(info.Config.Env ?? []).not.toContain(expect.stringMatching(/^JUDGE_/));
    expect(info.HostConfig).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NanoCpus: 1_000_000_000,
      AutoRemove: false,
    });
    expect(info.HostConfig.Binds ?? []).toEqual([]);
    expect(info.Mounts).toEqual([]);
    expect(info.HostConfig.MemorySwap).toBe(info.HostConfig.Memory);
    await sb.close();
    await expect(docker.getContainer(sb.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('removeLeftoverSandboxes removes a container left open', async () => {
    const other = `${namespace}_left`;
    const sb = await openSandbox({ docker, namespace: other, language: lang('python'), source: 'print(1)\n', limits });
    expect(await removeLeftoverSandboxes(docker, other)).toBe(1);
    await expect(docker.getContainer(sb.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await removeLeftoverSandboxes(docker, other)).toBe(0);
    await sb.close(); // already gone: still fine
  });

  it('listRuntimes reports the three runtime images with their versions', async () => {
    const runtimes = await listRuntimes(docker);
    expect(runtimes.map((r) => r.runtime)).toEqual(['gcc', 'python', 'node']);
    for (const r of runtimes) {
      expect(r.image).toBe(`judge-runtime-${r.runtime}:latest`);
      expect(r.labels['judge.runtime']).toBe(r.runtime);
      expect(r.labels[`judge.version.${r.runtime}`]).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
