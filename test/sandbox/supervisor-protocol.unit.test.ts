import { describe, expect, it } from 'vitest';
import { encodePut, encodeRun, parseReport, replyWord, SupervisorError, type RunRequest } from '../../src/sandbox/supervisor-protocol.js';

const request: RunRequest = {
  argv: ['python3', 'main.py'],
  env: ['PATH=/usr/bin', 'HOME=/box'],
  cpuMs: 1000,
  wallMs: 3000,
  memoryKb: 65536,
  outputBytes: 1024,
  stderrBytes: 512,
  fileSizeBytes: 4096,
  stackKb: 65536,
  openFiles: 64,
  merge: false,
  killOnOutput: true,
  restore: true,
};

const report =
  '{"exitCode":0,"signal":null,"timeMs":12,"wallTimeMs":15,"memoryKb":8000,"cpuExceeded":false,"wallExceeded":false,' +
  '"outputExceeded":false,"oomKilled":false,"memoryExceeded":false,"stdoutBytes":3,"stderrBytes":0,"stdoutTotal":3,"stderrTotal":0}';

describe('encodeRun', () => {
  it('announces every limit, the strings and the stdin size, then sends them as is', () => {
    const stdin = Buffer.from([0, 1, 2, 0xff]);
    const [line, strings, body] = encodeRun(request, stdin);
    expect(line!.toString()).toBe(
      'RUN cpu_ms=1000 wall_ms=3000 mem_kb=65536 out_bytes=1024 err_bytes=512 fsize_bytes=4096 stack_kb=65536 nofile=64 ' +
        'merge=0 kill_on_output=1 restore=1 argc=2 envc=2 stdin=4\n',
    );
    expect(strings!.toString()).toBe('python3\0main.py\0PATH=/usr/bin\0HOME=/box\0');
    expect(Buffer.compare(body!, stdin)).toBe(0);
  });

  it('refuses what the supervisor could not parse', () => {
    expect(() => encodeRun({ ...request, argv: [] }, Buffer.alloc(0))).toThrow(/argv/);
    expect(() => encodeRun({ ...request, argv: ['a\0b'] }, Buffer.alloc(0))).toThrow(/NUL/);
    expect(() => encodeRun({ ...request, cpuMs: -1 }, Buffer.alloc(0))).toThrow(/cpu_ms/);
    expect(() => encodeRun({ ...request, wallMs: 1.5 }, Buffer.alloc(0))).toThrow(/wall_ms/);
    expect(() => encodeRun({ ...request, env: ['x'.repeat(70_000)] }, Buffer.alloc(0))).toThrow(/64 KiB/);
  });
});

describe('encodePut', () => {
  it('writes a plain file name with its size and mode', () => {
    const [line, body] = encodePut('Main.java', Buffer.from('class Main {}'));
    expect(line!.toString()).toBe('PUT Main.java 13 644\n');
    expect(body!.toString()).toBe('class Main {}');
  });

  it('refuses names that are not one plain file in /box', () => {
    for (const bad of ['', '.', '..', 'a/b', '../x', 'a b', 'x\n']) expect(() => encodePut(bad, Buffer.alloc(0))).toThrow(/bad file name/);
  });
});

describe('replies', () => {
  it('splits the reply word and turns ERR into a SupervisorError', () => {
    expect(replyWord('OK', 'OK')).toBe('');
    expect(replyWord('OK 2 4096', 'OK')).toBe('2 4096');
    expect(() => replyWord('ERR restore: could not empty /box', 'OK')).toThrow(SupervisorError);
    expect(() => replyWord('ERR restore: could not empty /box', 'OK')).toThrow(/could not empty/);
    expect(() => replyWord('BOGUS', 'REPORT')).toThrow(/unexpected reply/);
  });

  it('parses a complete report', () => {
    expect(parseReport(report, 10, 10)).toMatchObject({ exitCode: 0, signal: null, timeMs: 12, memoryKb: 8000, stdoutBytes: 3, oomKilled: false });
  });

  it('rejects anything that is not a complete report, or announces more output than asked', () => {
    expect(() => parseReport('nope', 10, 10)).toThrow(/not JSON/);
    expect(() => parseReport('[]', 10, 10)).toThrow(/not an object/);
    expect(() => parseReport(report.replace('"timeMs":12', '"timeMs":"12"'), 10, 10)).toThrow(/timeMs/);
    expect(() => parseReport(report.replace('"oomKilled":false', '"oomKilled":0'), 10, 10)).toThrow(/oomKilled/);
    expect(() => parseReport(report.replace('"exitCode":0', '"exitCode":null'), 10, 10)).toThrow(/exactly one/);
    expect(() => parseReport(report, 2, 10)).toThrow(/more output/);
  });
});
