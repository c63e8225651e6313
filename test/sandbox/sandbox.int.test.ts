import { describe, expect, it } from 'vitest';
import { docker, limits, useSandboxes } from './harness.js';
import { listRuntimes } from '../../src/sandbox/index.js';

const { sandbox, built, runOnce } = useSandboxes('lang');

describe('sandbox: languages', () => {
  it('python: hello world and stdin echo', async () => {
    const r = await runOnce('python', 'import sys\nprint("hello", sys.stdin.read().strip())\n', 'world\n');
    expect(r).toMatchObject({ exitCode: 0, signal: null, stdout: 'hello world\n', stderr: '' });
    expect(r.cpuTimeExceeded || r.wallTimeExceeded || r.memoryExceeded || r.outputExceeded).toBe(false);
    expect(r.memoryKb).toBeGreaterThan(1000);
    expect(r.wallTimeMs).toBeGreaterThanOrEqual(r.timeMs - 5);
  });

  it('c: compiles once, then runs many tests with other input and other limits', async () => {
    const src = '#include <stdio.h>\n#include <math.h>\nint main(void){long a,b; if(scanf("%ld %ld",&a,&b)!=2) return 1; printf("%ld %.1f\\n", a+b, sqrt(16.0)); return 0;}\n';
    const sb = await sandbox('c', src);
    const compiled = await sb.compile();
    expect(compiled).toMatchObject({ success: true, output: '' });
    expect(compiled!.timeMs).toBeGreaterThan(0);
    await expect(sb.compile()).rejects.toThrow(/already/);
    expect(await sb.run('2 40', limits)).toMatchObject({ exitCode: 0, stdout: '42 4.0\n' });
    expect(await sb.run('1 1', { ...limits, memoryKb: 32 * 1024, outputKb: 8 })).toMatchObject({ exitCode: 0, stdout: '2 4.0\n', memoryExceeded: false });
    expect(await sb.run('x', limits)).toMatchObject({ exitCode: 1, stdout: '' });
    expect(await sb.run(Buffer.from('5 5'), limits)).toMatchObject({ exitCode: 0, stdout: '10 4.0\n' });
  });

  it('cpp: compiles as C++17 and runs', async () => {
    const src = '#include <bits/stdc++.h>\nint main(){std::vector<int> v; int x; while(std::cin>>x) v.push_back(x); std::sort(v.begin(), v.end()); if constexpr (__cplusplus >= 201703L) for(int y: v) std::cout<<y<<" "; std::cout<<"\\n";}\n';
    expect(await runOnce('cpp', src, '3 1 2')).toMatchObject({ exitCode: 0, stdout: '1 2 3 \n' });
  });

  it('javascript: runs', async () => {
    const src = "const s = require('fs').readFileSync(0, 'utf8'); console.log(s.trim().split(/\\s+/).map(Number).reduce((a, b) => a + b, 0));\n";
    expect(await runOnce('javascript', src, '1 2 3 4')).toMatchObject({ exitCode: 0, stdout: '10\n', stderr: '' });
  });

  it('compile() is null for interpreted languages, and a compiled language must compile first', async () => {
    const py = await sandbox('python', 'print(1)\n');
    expect(await py.compile()).toBeNull();
    await py.close();
    const c = await sandbox('c', 'int main(void){return 0;}\n');
    await expect(c.run('', limits)).rejects.toThrow(/compile\(\) before run/);
    await c.close();
  });

  it('a compile error returns success:false with the compiler message, and nothing runs', async () => {
    const sb = await sandbox('c', 'int main(void) { return undefined_name; }\n');
    const compiled = await sb.compile();
    expect(compiled?.success).toBe(false);
    expect(compiled?.output).toMatch(/undefined_name/);
    expect(compiled?.output).toMatch(/error/);
    await expect(sb.run('', limits)).rejects.toThrow(/compilation failed/);
    await sb.close();
  });

  it('compiler output is cut at 64 KiB', async () => {
    const errors = Array.from({ length: 3000 }, (_, i) => `int f${i}(void) { return undefined_${i}; }`).join('\n');
    const sb = await sandbox('c', `${errors}\nint main(void){return 0;}\n`);
    const compiled = await sb.compile();
    expect(compiled?.success).toBe(false);
    expect(Buffer.byteLength(compiled!.output)).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(compiled!.output)).toBeGreaterThan(60 * 1024);
    await sb.close();
  });

  it('listRuntimes reports the default runtime images with their versions read from the images', async () => {
    const runtimes = await listRuntimes(docker);
    expect(runtimes.map((r) => r.runtime)).toEqual(expect.arrayContaining(['gcc', 'python', 'node']));
    for (const r of runtimes) {
      expect(r.image).toBe(`judge-runtime-${r.runtime}:latest`);
      expect(r.labels['judge.runtime']).toBe(r.runtime);
      expect(r.labels[`judge.version.${r.runtime}`]).toMatch(/^\d+\.\d+(\.\d+)?$/);
    }
  });
});
