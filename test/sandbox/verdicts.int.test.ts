import { describe, expect, it } from 'vitest';
import { SandboxLostError } from '../../src/sandbox/index.js';
import { docker, limits, useSandboxes, verdictOf } from './harness.js';

const { sandbox, built, runOnce } = useSandboxes('verdict');

// One C program, many behaviours: compiled once, each test picks one on stdin (which is also
// what a submission with many tests does to one sandbox).
const CHAMELEON = `
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(void) {
  char what[32] = "";
  if (scanf("%31s", what) != 1) return 100;
  if (!strcmp(what, "ok")) { puts("fine"); return 0; }
  if (!strcmp(what, "exit3")) exit(3);
  if (!strcmp(what, "segv")) { *(volatile int *)0 = 1; }
  if (!strcmp(what, "abort")) abort();
  if (!strcmp(what, "spin")) for (;;) {}
  if (!strcmp(what, "sleep")) { sleep(30); return 0; }
  if (!strcmp(what, "mem")) { size_t n = 300u << 20; volatile char *p = malloc(n); if (!p) return 2; for (size_t i = 0; i < n; i += 4096) p[i] = 1; return 0; }
  if (!strcmp(what, "print")) { for (int i = 0; i < 1000000; i++) puts("0123456789"); return 0; }
  if (!strcmp(what, "binary")) { fwrite("a\\xff\\xfe\\0" "b", 1, 5, stdout); return 0; }
  if (!strcmp(what, "stderr")) { for (int i = 0; i < 100000; i++) fputs("warning: this goes to stderr\\n", stderr); puts("done"); return 0; }
  if (!strcmp(what, "spin-then-mem")) { for (volatile long i = 0; i < 2000000000L; i++) {} }
  return 99;
}
`;

describe('sandbox: verdicts', () => {
  it('maps every way a program ends to its verdict, in one compiled sandbox', async () => {
    const at = { ...limits, timeMs: 1000, wallTimeMs: 2000, memoryKb: 64 * 1024, outputKb: 4 };
    const sb = await built('c', CHAMELEON, at);
    const run = (what: string) => sb.run(what, at);

    const ok = await run('ok');
    expect(ok).toMatchObject({ exitCode: 0, signal: null, stdout: 'fine\n' });
    expect(verdictOf(ok)).toBe('OK');

    expect(await run('exit3')).toMatchObject({ exitCode: 3, signal: null });
    expect(verdictOf(await run('exit3'))).toBe('RUNTIME_ERROR');
    expect(await run('segv')).toMatchObject({ exitCode: null, signal: 11 });
    expect(await run('abort')).toMatchObject({ exitCode: null, signal: 6 });

    const spin = await run('spin');
    expect(spin).toMatchObject({ cpuTimeExceeded: true, wallTimeExceeded: false, signal: 9 });
    expect(spin.timeMs).toBeGreaterThanOrEqual(1000);
    expect(spin.timeMs).toBeLessThan(1300);
    expect(verdictOf(spin)).toBe('TIME_LIMIT_EXCEEDED');

    const sleeper = await run('sleep');
    expect(sleeper).toMatchObject({ wallTimeExceeded: true, cpuTimeExceeded: false });
    expect(sleeper.timeMs).toBeLessThan(50);
    expect(sleeper.wallTimeMs).toBeGreaterThanOrEqual(2000);
    expect(sleeper.wallTimeMs).toBeLessThan(2500);
    expect(verdictOf(sleeper)).toBe('TIME_LIMIT_EXCEEDED');

    const mem = await run('mem');
    expect(mem).toMatchObject({ memoryExceeded: true, exitCode: null, signal: 9, stdout: '' });
    expect(verdictOf(mem)).toBe('MEMORY_LIMIT_EXCEEDED');

    const flood = await run('print');
    expect(flood.outputExceeded).toBe(true);
    expect(flood.stdout.length).toBe(4096);
    expect(flood.stdout.startsWith('0123456789\n')).toBe(true);
    expect(flood.wallTimeMs).toBeLessThan(500); // ended at the limit, not at the time limit
    expect(verdictOf(flood)).toBe('OUTPUT_LIMIT_EXCEEDED');

    const binary = await run('binary');
    expect(binary).toMatchObject({ exitCode: 0, stdout: 'a\uFFFD\uFFFD\u0000b' });

    // stderr is capped on its own (64 KiB by default), without a verdict of its own.
    const noisy = await run('stderr');
    expect(noisy).toMatchObject({ exitCode: 0, stdout: 'done\n', outputExceeded: false });
    expect(noisy.stderr.length).toBe(64 * 1024);
    const capped = await sb.run('stderr', { ...at, stderrKb: 1 });
    expect(capped.stderr.length).toBe(1024);

    // The sandbox is as good as new after all of that.
    expect(await run('ok')).toMatchObject({ exitCode: 0, stdout: 'fine\n' });
  });

  it('python: the interpreter failing on the write past the output limit is still output exceeded', async () => {
    const at = { ...limits, outputKb: 4 };
    const py = await runOnce('python', 'import sys\nfor i in range(10**6):\n    sys.stdout.write("x" * 100)\n', '', at);
    expect(py.outputExceeded).toBe(true);
    expect(py.stdout.length).toBeLessThanOrEqual(4096);
    expect(verdictOf(py)).toBe('OUTPUT_LIMIT_EXCEEDED');
  });

  it('a python exception is a runtime error with the traceback on stderr', async () => {
    const r = await runOnce('python', 'raise ValueError("boom")\n');
    expect(r).toMatchObject({ exitCode: 1, signal: null });
    expect(r.stderr).toMatch(/ValueError: boom/);
  });

  it('the file size limit stops a program writing a big file (SIGXFSZ: output exceeded)', async () => {
    const src = '#include <stdio.h>\nint main(void){ static char b[1<<20]; FILE *f = fopen("big", "w"); for (int i = 0; i < 8; i++) fwrite(b, 1, sizeof b, f); fclose(f); puts("wrote"); return 0; }\n';
    const r = await runOnce('c', src, '', { ...limits, fileSizeKb: 1024 });
    expect(r).toMatchObject({ signal: 25, outputExceeded: true, stdout: '' });
    expect(await runOnce('c', src, '', { ...limits, fileSizeKb: 16 * 1024 })).toMatchObject({ exitCode: 0, stdout: 'wrote\n' });
  });

  it('the stack limit defaults to the memory limit', async () => {
    const src = '#include <stdio.h>\nint depth(int n){ volatile char pad[1024]; pad[0] = 1; if (n == 0) return 0; int r = depth(n - 1); return r + pad[0]; }\nint main(void){ printf("%d\\n", depth(100000)); return 0; }\n';
    // ~100 MB of stack: fine under 256 MiB, a segfault under an 8 MiB stack limit.
    expect(await runOnce('c', src, '', { ...limits, memoryKb: 256 * 1024 })).toMatchObject({ exitCode: 0, stdout: '100000\n' });
    expect(await runOnce('c', src, '', { ...limits, memoryKb: 256 * 1024, stackKb: 8192 })).toMatchObject({ signal: 11 });
  });

  it('memory over the limit: a peak above it (even in a clean exit), or the container running out', async () => {
    const at = { ...limits, memoryKb: 64 * 1024 };
    // 80 MiB touched, released, exit 0: the peak decides.
    const peak = await runOnce('c', '#include <stdlib.h>\nint main(void){ size_t n = 80u << 20; volatile char *p = malloc(n); for (size_t i = 0; i < n; i += 4096) p[i] = 1; free((void *)p); return 0; }\n', '', at);
    expect(peak.memoryExceeded).toBe(true);
    expect(peak.memoryKb).toBeGreaterThan(64 * 1024);
    expect(verdictOf(peak)).toBe('MEMORY_LIMIT_EXCEEDED');
    // Shared anonymous memory is not in the sampled anonymous total: the container's limit
    // stops the program on a page fault, and the supervisor (never the kernel's victim) kills it.
    const src = '#include <sys/mman.h>\nint main(void){ size_t n = 1u << 30; volatile char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0); for (size_t i = 0; i < n; i += 4096) p[i] = 1; return 0; }\n';
    const sb = await built('c', src, at);
    const shared = await sb.run('', at);
    expect(shared).toMatchObject({ memoryExceeded: true, signal: 9, exitCode: null });
    expect(verdictOf(shared)).toBe('MEMORY_LIMIT_EXCEEDED');
    expect(shared.wallTimeMs).toBeLessThan(1500);
    expect(verdictOf(await sb.run('', at))).toBe('MEMORY_LIMIT_EXCEEDED'); // and again: the sandbox recovered
  });

  it('the process limit counts every task of the program', async () => {
    const src = `
#include <stdio.h>
#include <unistd.h>
int main(void) {
  int made = 0;
  for (int i = 0; i < 30; i++) { pid_t p = fork(); if (p == 0) { sleep(2); _exit(0); } if (p > 0) made++; }
  printf("%d\\n", made);
  return 0;
}`;
    const r = await runOnce('c', src, '', { ...limits, processes: 10 });
    expect(r.exitCode).toBe(0);
    expect(Number(r.stdout)).toBe(9); // itself and nine children
  });

  it('a sandbox whose container dies during a run fails that run at once (an internal error), never hangs', async () => {
    const sb = await sandbox('python', 'import time\ntime.sleep(20)\n');
    const run = sb.run('', { ...limits, wallTimeMs: 30_000 });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await docker.getContainer(sb.id).kill().catch(() => undefined);
    await expect(run).rejects.toBeInstanceOf(SandboxLostError);
    expect(Date.now() - started).toBeLessThan(5000);
    await sb.close();
  });
});
