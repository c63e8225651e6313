import { describe, expect, it } from 'vitest';
import { limits, useSandboxes } from './harness.js';

const { built, runOnce } = useSandboxes('measure');
const MiB = 1024;

// Time and memory come from the kernel (rusage of the whole process tree, the container's
// cgroup), measured inside the container: never from timers around a Docker call.
describe('sandbox: measurement', () => {
  it('a program that burns 0.6 s of CPU is reported within ±10 %, in C and in Python', async () => {
    const c = await runOnce('c', '#include <time.h>\nint main(void){ while (clock() < 0.6 * CLOCKS_PER_SEC) {} return 0; }\n');
    expect(c.exitCode).toBe(0);
    expect(c.timeMs).toBeGreaterThanOrEqual(540);
    expect(c.timeMs).toBeLessThanOrEqual(660);
    const py = await runOnce('python', 'import time\nwhile time.process_time() < 0.6:\n    pass\n');
    expect(py.timeMs).toBeGreaterThanOrEqual(540);
    expect(py.timeMs).toBeLessThanOrEqual(660);
  });

  it('counts the CPU of every process of the tree, detached ones included', async () => {
    // Two children burn 0.3 s each; one of them in its own session (setsid), re-parented once
    // its parent is gone. The main program burns nothing: it waits until both said they are done.
    const src = `
#include <time.h>
#include <unistd.h>
static int done[2];
static void burn(void) { while (clock() < 0.3 * CLOCKS_PER_SEC) {} write(done[1], "x", 1); _exit(0); }
int main(void) {
  char buf[2];
  pipe(done);
  if (fork() == 0) burn();
  if (fork() == 0) { setsid(); if (fork() == 0) burn(); _exit(0); }
  close(done[1]);
  for (int got = 0; got < 2; ) { ssize_t n = read(done[0], buf, 2); if (n <= 0) return 1; got += n; }
  return 0;
}`;
    const r = await runOnce('c', src);
    expect(r.exitCode).toBe(0);
    expect(r.timeMs).toBeGreaterThanOrEqual(540);
    expect(r.timeMs).toBeLessThanOrEqual(700);
  });

  it('sleeping is not CPU time', async () => {
    const r = await runOnce('python', 'import time\ntime.sleep(0.5)\n');
    expect(r.exitCode).toBe(0);
    expect(r.timeMs).toBeLessThan(60);
    expect(r.wallTimeMs).toBeGreaterThanOrEqual(500);
    expect(r.wallTimeMs).toBeLessThan(1500);
  });

  it('a program that touches 64 MiB reports between 64 and 100 MiB, in C and in Python', async () => {
    const at = { ...limits, memoryKb: 256 * MiB };
    // volatile: the optimizer must not drop the stores (and with them the allocation).
    const c = await runOnce('c', '#include <stdlib.h>\nint main(void){ size_t n = 64u << 20; volatile char *p = malloc(n); for (size_t i = 0; i < n; i += 4096) p[i] = 1; return p[n - 4096] == 1 ? 0 : 1; }\n', '', at);
    expect(c.exitCode).toBe(0);
    expect(c.memoryKb).toBeGreaterThanOrEqual(64 * MiB);
    expect(c.memoryKb).toBeLessThanOrEqual(100 * MiB);
    expect(c.memoryExceeded).toBe(false);
    const py = await runOnce('python', 'b = bytearray(64 << 20)\nfor i in range(0, len(b), 4096):\n    b[i] = 1\n', '', at);
    expect(py.exitCode).toBe(0);
    expect(py.memoryKb).toBeGreaterThanOrEqual(64 * MiB);
    expect(py.memoryKb).toBeLessThanOrEqual(100 * MiB);
  });

  it('memory spread over several processes counts as a whole', async () => {
    // Three processes of 40 MiB each: none over a 64 MiB limit alone, 120 MiB together.
    const src = `
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  for (int i = 0; i < 3; i++) if (fork() == 0) { size_t n = 40u << 20; char *p = malloc(n); memset(p, 1, n); usleep(300000); _exit(p[5]); }
  while (wait(NULL) > 0) {}
  return 0;
}`;
    const r = await runOnce('c', src, '', { ...limits, memoryKb: 64 * MiB });
    expect(r.memoryExceeded).toBe(true);
    expect(r.memoryKb).toBeGreaterThan(64 * MiB);
  });

  it('each test is measured on its own: a small run after a big one reports small', async () => {
    const src = '#include <stdlib.h>\n#include <stdio.h>\nint main(void){ int mb = 0; if (scanf("%d", &mb) != 1) return 1; size_t n = (size_t)mb << 20; volatile char *p = malloc(n + 1); for (size_t i = 0; i < n; i += 4096) p[i] = 1; return 0; }\n';
    const at = { ...limits, memoryKb: 256 * MiB };
    const sb = await built('c', src, at);
    const big = await sb.run('100', at);
    const small = await sb.run('0', at);
    expect(big.memoryKb).toBeGreaterThanOrEqual(100 * MiB);
    expect(small.memoryKb).toBeLessThan(8 * MiB);
    expect(small.timeMs).toBeLessThan(big.timeMs + 1);
  });
});
