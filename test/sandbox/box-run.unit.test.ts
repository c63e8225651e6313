import { describe, expect, it } from 'vitest';
import { boxRunCommand, parseBoxRunReport } from '../../src/sandbox/box-run.js';

const line =
  '{"exitCode":0,"signal":null,"timeMs":12,"wallTimeMs":15,"memoryKb":8000,"cpuExceeded":false,"wallExceeded":false,"outputExceeded":false,"oomKilled":false}';

describe('boxRunCommand', () => {
  it('puts every limit and file before -- and the program after it', () => {
    const cmd = boxRunCommand({
      argv: ['python3', 'main.py'],
      cpuMs: 1000,
      wallMs: 3000,
      outputBytes: 1024,
      fileBytes: 1025,
      stackKb: 8192,
      stdin: '/box/.stdin',
      stdout: '/box/.stdout',
      stderr: '/box/.stderr',
      killOthers: true,
    });
    expect(cmd).toEqual([
      '/usr/local/bin/box-run',
      '--cpu-ms', '1000',
      '--wall-ms', '3000',
      '--output-bytes', '1024',
      '--file-bytes', '1025',
      '--stack-kb', '8192',
      '--stdin', '/box/.stdin',
      '--stdout', '/box/.stdout',
      '--stderr', '/box/.stderr',
      '--kill-others',
      '--', 'python3', 'main.py',
    ]);
  });

  it('leaves out files that are not given and refuses an empty program', () => {
    const base = { cpuMs: 1, wallMs: 1, outputBytes: 1, fileBytes: 1, stackKb: 0, killOthers: false };
    const cmd = boxRunCommand({ ...base, argv: ['./main'] });
    expect(cmd).not.toContain('--stdin');
    expect(cmd).not.toContain('--kill-others');
    expect(cmd.slice(-2)).toEqual(['--', './main']);
    expect(() => boxRunCommand({ ...base, argv: [] })).toThrow(/empty/);
  });
});

describe('parseBoxRunReport', () => {
  it('parses the report line', () => {
    expect(parseBoxRunReport(`${line}\n`)).toEqual({
      exitCode: 0,
      signal: null,
      timeMs: 12,
      wallTimeMs: 15,
      memoryKb: 8000,
      cpuExceeded: false,
      wallExceeded: false,
      outputExceeded: false,
      oomKilled: false,
    });
  });

  it('takes the last non-empty line', () => {
    const killed = line.replace('"exitCode":0,"signal":null', '"exitCode":null,"signal":9');
    expect(parseBoxRunReport(`noise\n${killed}\n\n`)).toMatchObject({ exitCode: null, signal: 9 });
  });

  it('rejects anything that is not a complete report', () => {
    expect(() => parseBoxRunReport('')).toThrow(/no JSON report/);
    expect(() => parseBoxRunReport('box-run: usage')).toThrow(/no JSON report/);
    expect(() => parseBoxRunReport('[]')).toThrow(/bad/);
    expect(() => parseBoxRunReport(line.replace('"timeMs":12', '"timeMs":"12"'))).toThrow(/timeMs/);
    expect(() => parseBoxRunReport(line.replace('"oomKilled":false', '"oomKilled":0'))).toThrow(/oomKilled/);
    expect(() => parseBoxRunReport(line.replace('"exitCode":0', '"exitCode":null'))).toThrow(/exactly one/);
  });
});
