import { describe, expect, it } from 'vitest';
import { limits, useSandboxes } from '../sandbox/harness.js';

const { built, runOnce } = useSandboxes('rt');

// The images of these languages are built on request: `npm run test:runtimes` builds them
// (npm run setup -- --all-runtimes) and runs this file; CI runs it too.
describe('sandbox: languages built on request', () => {
  it('java: compiles Main.java and runs it with the heap at the memory limit', async () => {
    const src = 'import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); long x = s.nextLong(), y = s.nextLong(); System.out.println(x + y); System.out.println(Runtime.getRuntime().maxMemory() <= 256L << 20); } }\n';
    const r = await runOnce('java', src, '2 40', { ...limits, memoryKb: 256 * 1024, timeMs: 5000, wallTimeMs: 10_000 });
    expect(r, r.stderr).toMatchObject({ exitCode: 0, stdout: '42\ntrue\n' });
  });

  it('go: builds and runs', async () => {
    const src = 'package main\nimport "fmt"\nfunc main() { var a, b int; fmt.Scan(&a, &b); fmt.Println(a + b) }\n';
    const sb = await built('go', src);
    expect(await sb.run('2 40', limits)).toMatchObject({ exitCode: 0, stdout: '42\n' });
    expect(await sb.run('1 2', limits)).toMatchObject({ exitCode: 0, stdout: '3\n' });
  });

  it('rust: builds and runs', async () => {
    const src = 'use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let n: i64 = s.split_whitespace().map(|x| x.parse::<i64>().unwrap()).sum(); println!("{}", n); }\n';
    expect(await runOnce('rust', src, '2 40')).toMatchObject({ exitCode: 0, stdout: '42\n' });
  });
});
