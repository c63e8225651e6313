import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { docker, limits, useSandboxes, verdictOf } from './harness.js';

const { sandbox, built, runOnce } = useSandboxes('contain');
const MiB = 1024;

/** The processes a program sees besides itself: the supervisor (pid 1) and its runner. */
const PS = 'import os\nprint(sorted(open(f"/proc/{p}/comm").read().strip() for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()))\n';

describe('sandbox: containment (the judge stays healthy after each)', () => {
  it('contains a fork bomb, and the next test runs with nothing of it left', async () => {
    const at = { ...limits, timeMs: 1000, wallTimeMs: 3000, processes: 16 };
    const src = '#include <unistd.h>\n#include <stdio.h>\nint main(void){ char c; if (read(0, &c, 1) == 1 && c == \'b\') for(;;) fork(); puts("fine"); return 0; }\n';
    const sb = await built('c', src, at);
    const bomb = await sb.run('b', at);
    expect(verdictOf(bomb)).toBe('TIME_LIMIT_EXCEEDED');
    expect(bomb.wallTimeMs).toBeLessThan(3500);
    expect(await sb.run('n', at)).toMatchObject({ exitCode: 0, stdout: 'fine\n' });
    const ps = await runOnce('python', PS);
    expect(ps.stdout).toBe("['box-run', 'box-run']\n");
  });

  it('stops a memory bomb, even one spread over processes, as memory limit exceeded', async () => {
    const at = { ...limits, memoryKb: 64 * MiB };
    const src = '#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\nint main(void){ fork(); fork(); for (;;) { char *p = malloc(1 << 20); if (!p) return 3; memset(p, 1, 1 << 20); } }\n';
    const sb = await built('c', src, at);
    const r = await sb.run('', at);
    expect(verdictOf(r)).toBe('MEMORY_LIMIT_EXCEEDED');
    expect(r.wallTimeMs).toBeLessThan(1000);
    expect(verdictOf(await sb.run('', at))).toBe('MEMORY_LIMIT_EXCEEDED');
  });

  it('a program that fills /box, /tmp and /dev/shm hits their sizes, and still has its memory', async () => {
    const src = `
import os
def fill(path):
    total = 0
    try:
        for i in range(1000):
            with open(f"{path}/fill{i}", "wb") as f:
                for _ in range(8):
                    f.write(b"x" * (1 << 20)); f.flush(); total += 1 << 20
    except OSError as e:
        return total >> 20, e.strerror
    return total >> 20, "no limit"
print(fill("/box"), fill("/tmp"), fill("/dev/shm"))
b = bytearray(48 << 20)
print("allocated")
`;
    const at = { ...limits, memoryKb: 64 * MiB, fileSizeKb: 64 * MiB, wallTimeMs: 10_000 };
    const sb = await built('python', src, at);
    const r = await sb.run('', at);
    expect(r.exitCode, r.stderr).toBe(0);
    const [box, tmp, shm] = [...r.stdout.matchAll(/\((\d+), '([^']*)'\)/g)].map((m) => [Number(m[1]), m[2]] as const);
    expect(box![1]).toBe('No space left on device');
    expect(box![0]).toBeLessThanOrEqual(64);
    expect(tmp![0]).toBeLessThanOrEqual(16);
    expect(shm![0]).toBeLessThanOrEqual(8);
    expect(r.stdout).toMatch(/allocated\n$/);
    // The next test finds the space free again.
    expect((await sb.run('', at)).stdout).toBe(r.stdout);
  });

  it('floods of stdout and of stderr end at their limits; the next test is fine', async () => {
    const src = '#include <stdio.h>\n#include <string.h>\nint main(void){ char m[8] = ""; if (scanf("%7s", m) != 1) return 1; FILE *f = !strcmp(m, "out") ? stdout : stderr; if (!strcmp(m, "ok")) { puts("ok"); return 0; } for (;;) fputs("flood flood flood flood flood flood flood\\n", f); }\n';
    const at = { ...limits, timeMs: 1000, wallTimeMs: 3000, outputKb: 1024 };
    const sb = await built('c', src, at);
    const out = await sb.run('out', at);
    expect(verdictOf(out)).toBe('OUTPUT_LIMIT_EXCEEDED');
    expect(out.stdout.length).toBe(1024 * 1024);
    const err = await sb.run('err', at);
    expect(verdictOf(err)).toBe('TIME_LIMIT_EXCEEDED');
    expect(err.stderr.length).toBe(64 * 1024);
    expect(await sb.run('ok', at)).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
  });

  it('kills a detached background process when the program exits; the verdict does not wait for it', async () => {
    const src = `
#include <stdio.h>
#include <unistd.h>
int main(void) {
  if (fork() == 0) { setsid(); if (fork() == 0) { close(0); close(1); close(2); for (;;) {} } _exit(0); }
  puts("left one behind");
  return 0;
}`;
    const r = await runOnce('c', src);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'left one behind\n', cpuTimeExceeded: false });
    expect(r.wallTimeMs).toBeLessThan(200);
    expect((await runOnce('python', PS)).stdout).toBe("['box-run', 'box-run']\n");
  });

  it('has no network but lo and no route anywhere: the host\'s Postgres port is unreachable', async () => {
    // The judge's Postgres listens on the host's loopback; from the sandbox, 127.0.0.1 is the
    // sandbox's own lo, and there is no interface or route to reach the host any other way.
    const db = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/judge');
    const port = Number(db.port || 5432);
    if (['127.0.0.1', 'localhost'].includes(db.hostname)) {
      await new Promise<void>((resolve, reject) => {
        const probe = connect(port, '127.0.0.1', () => {
          probe.destroy();
          resolve();
        });
        probe.on('error', reject);
      });
    }
    const src = `
import socket
print(sorted(l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:]))
print(len(open("/proc/net/route").read().splitlines()) - 1, "routes")
s = socket.socket(); s.settimeout(1)
try:
    s.connect(("127.0.0.1", int(input()))); print("postgres reachable")
except OSError as e:
    print("postgres:", type(e).__name__)
try:
    socket.getaddrinfo("example.com", 443); print("dns works")
except OSError:
    print("no dns")
`;
    const r = await runOnce('python', src, String(port));
    expect(r.stdout.trim().split('\n')).toEqual(["['lo']", '0 routes', 'postgres: ConnectionRefusedError', 'no dns']);
  });

  it('has no Docker socket, none of the judge\'s environment, and cannot read the supervisor\'s', async () => {
    process.env.JUDGE_SECRET_TEST = 'do-not-leak';
    try {
      const src = `
import os
print([p for p in ("/var/run/docker.sock", "/run/docker.sock", "/var/run/docker", "/run/containerd") if os.path.exists(p)])
print(sorted(os.environ))
try:
    open("/proc/1/environ").read(); print("read pid 1 environ")
except OSError as e:
    print("pid 1 environ:", e.strerror)
`;
      const r = await runOnce('python', src);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe('[]');
      expect(lines[1]).toBe("['HOME', 'LANG', 'PATH', 'PYTHONDONTWRITEBYTECODE', 'TMPDIR']");
      expect(lines[2]).toBe('pid 1 environ: Permission denied');
      expect(r.stdout).not.toContain('do-not-leak');
    } finally {
      delete process.env.JUDGE_SECRET_TEST;
    }
  });

  it('runs as uid 10001, not root, with no capabilities at all and no_new_privs', async () => {
    const src = `
import os
status = dict(l.split(":\\t", 1) for l in open("/proc/self/status").read().splitlines() if ":\\t" in l)
for k in ("Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"):
    print(k, status[k].split())
try:
    os.setuid(0); print("became root")
except PermissionError:
    print("setuid refused")
`;
    const r = await runOnce('python', src);
    expect(r.stdout.trim().split('\n')).toEqual([
      "Uid ['10001', '10001', '10001', '10001']",
      "Gid ['10001', '10001', '10001', '10001']",
      'Groups []',
      "CapInh ['0000000000000000']",
      "CapPrm ['0000000000000000']",
      "CapEff ['0000000000000000']",
      "CapBnd ['0000000000000000']",
      "CapAmb ['0000000000000000']",
      "NoNewPrivs ['1']",
      "Seccomp ['2']",
      'setuid refused',
    ]);
  });

  it('has a read-only root and cannot reach the supervisor\'s files', async () => {
    const src = `
import os
for path in ("/evil", "/var/tmp/x", "/usr/local/bin/box-run", "/etc/passwd", "/run/judge/stdin", "/run/judge/x"):
    try:
        open(path, "a").write("x"); print(path, "writable")
    except OSError as e:
        print(path, e.errno)
try:
    os.listdir("/run/judge"); print("listed")
except OSError as e:
    print("/run/judge", e.errno)
`;
    const r = await runOnce('python', src);
    // EROFS (30) where the image would let the sandbox user write (/var/tmp is world-writable in
    // it) or where permissions are checked last; EACCES (13) on root's files and the supervisor's
    // root-only tmpfs.
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['/evil 30', '/var/tmp/x 30']);
    expect(lines[2]).toMatch(/^\/usr\/local\/bin\/box-run (13|30)$/);
    expect(lines[3]).toMatch(/^\/etc\/passwd (13|30)$/);
    expect(lines.slice(4)).toEqual(['/run/judge/stdin 13', '/run/judge/x 13', '/run/judge 13']);
  });

  it('cannot kill, ptrace or impersonate its monitor, and still gets its own verdict', async () => {
    const src = `
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/ptrace.h>
#include <unistd.h>
int main(void) {
  int r1 = kill(-1, SIGKILL), e1 = errno;
  int r2 = kill(getppid(), SIGKILL), e2 = errno;
  int r3 = kill(1, SIGKILL);
  long r4 = ptrace(PTRACE_ATTACH, getppid(), 0, 0); int e4 = errno;
  long r5 = ptrace(PTRACE_ATTACH, 1, 0, 0); int e5 = errno;
  int r6 = open("/proc/1/fd/1", O_WRONLY), e6 = errno;
  printf("%d %d %d %d %ld %d %ld %d %d %d\\n", r1, e1, r2, e2, r4, e4, r5, e5, r6, e6);
  printf("REPORT {\\"exitCode\\":0,\\"signal\\":null}\\n");
  (void)r3;
  return 4;
}`;
    const r = await runOnce('c', src);
    // kill(-1) reaches only the program itself (nothing else is its own); the rest: EPERM, EACCES
    expect(r.stdout.split('\n')[0]).toMatch(/^(0 0|-1 1) -1 1 -1 1 -1 1 -1 13$/);
    expect(r).toMatchObject({ exitCode: 4, signal: null });
    expect(r.stdout).toContain('REPORT'); // just output: the real report came from the supervisor
  });

  it('restores the build before every test: an overwritten ./main, leftover files, links, IPC are gone', async () => {
    const src = `
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
  char m[16] = "";
  if (scanf("%15s", m) != 1) return 1;
  if (!strcmp(m, "attack")) {
    unlink("main");
    FILE *f = fopen("main", "w"); fputs("#!/bin/sh\\necho pwned\\n", f); fclose(f); chmod("main", 0755);
    mkdir("locked", 0755); mkdir("locked/inner", 0755); fclose(fopen("locked/inner/f", "w")); chmod("locked/inner", 0); chmod("locked", 0);
    char path[8192] = "deep"; for (int i = 0; i < 300; i++) { mkdir(path, 0700); chdir(path); strcpy(path, "d"); }
    chdir("/box");
    mkfifo("fifo", 0600); symlink("/run/judge/build", "escape"); symlink("/etc", "etc");
    fclose(fopen("/tmp/left", "w")); fclose(fopen("/dev/shm/left", "w"));
    int id = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600); shmat(id, 0, 0);
    chmod("/box", 0);
    puts("attacked");
    return 0;
  }
  puts("real");
  return 0;
}`;
    const sb = await built('c', src);
    expect(await sb.run('attack', limits)).toMatchObject({ exitCode: 0, stdout: 'attacked\n' });
    expect(await sb.run('check', limits)).toMatchObject({ exitCode: 0, stdout: 'real\n' });
    const py = await sandbox('python', [
      'import os, sys',
      'print(sorted(os.listdir("/box")), os.listdir("/tmp"), os.listdir("/dev/shm"))',
      'print(len(open("/proc/sysvipc/shm").read().splitlines()) - 1)',
      'if sys.stdin.read() == "attack":',
      '    open("main.py", "w").write("print(\\"pwned\\")")',
      '    os.makedirs("a/b/c"); open("/tmp/x", "w"); open("/dev/shm/y", "w")',
      '',
    ].join('\n'));
    await py.run('attack', limits);
    expect((await py.run('check', limits)).stdout).toBe("['main.py'] [] []\n0\n");
  });

  it('stops compile-time tricks (#include "/dev/zero", "/dev/random") at the compile limits', async () => {
    const compileLimits = { timeMs: 3000, wallTimeMs: 6000, memoryKb: 128 * MiB };
    for (const device of ['/dev/zero', '/dev/random']) {
      const sb = await sandbox('c', `#include "${device}"\nint main(void){return 0;}\n`, limits, compileLimits);
      const started = Date.now();
      const compiled = await sb.compile();
      expect(compiled?.success).toBe(false);
      expect(compiled?.output).toMatch(/exceeded the (memory|CPU time|wall time) limit/);
      expect(Date.now() - started).toBeLessThan(10_000);
      await sb.close();
    }
    const secret = await sandbox('c', '#include "/run/judge/stdin"\nint main(void){return 0;}\n');
    const compiled = await secret.compile();
    expect(compiled?.success).toBe(false);
    expect(compiled?.output).toMatch(/Permission denied/);
  });

  it('a program that closes stdout, or reads none of a 16 MiB input, still gets its verdict', async () => {
    const closes = await runOnce('c', '#include <unistd.h>\n#include <stdio.h>\nint main(void){ puts("before"); fflush(stdout); close(1); close(2); return 0; }\n');
    expect(closes).toMatchObject({ exitCode: 0, stdout: 'before\n' });
    const big = Buffer.alloc(16 * 1024 * 1024, 0x61);
    const ignores = await runOnce('c', '#include <stdio.h>\nint main(void){ puts("ignored it"); return 0; }\n', big);
    expect(ignores).toMatchObject({ exitCode: 0, stdout: 'ignored it\n' });
    expect(ignores.wallTimeMs).toBeLessThan(100);
    const reads = await runOnce('python', 'import sys\nprint(len(sys.stdin.buffer.read()))\n', big);
    expect(reads).toMatchObject({ exitCode: 0, stdout: `${big.length}\n` });
  });

  it('creates the container hardened: supervisor root with four capabilities as pid 1, nothing mounted', async () => {
    const sb = await sandbox('python', 'print(open("/proc/1/status").read())\n');
    const info = await docker.getContainer(sb.id).inspect();
    expect(info.Config.Labels).toMatchObject({ 'judge.test': 'contain', 'judge.supervised': '1' });
    expect(info.Config.Env ?? []).not.toContain(expect.stringMatching(/^JUDGE_/));
    expect(info.HostConfig).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NanoCpus: 1_000_000_000,
      OomKillDisable: true,
      Privileged: false,
    });
    expect(info.HostConfig.Binds ?? []).toEqual([]);
    expect(info.Mounts).toEqual([]);
    expect(info.HostConfig.MemorySwap).toBe(info.HostConfig.Memory);
    const status = (await sb.run('', limits)).stdout;
    expect(status).toMatch(/^Name:\s+box-run$/m);
    expect(status).toMatch(/^Uid:\s+0\s+0\s+0\s+0$/m);
    expect(status).toMatch(/^CapEff:\s+00000000000001e0$/m); // KILL, SETGID, SETUID, SETPCAP
    await sb.close();
    await expect(docker.getContainer(sb.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
