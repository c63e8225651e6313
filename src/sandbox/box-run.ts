// The contract with workers/runtime/box-run.c: its command line and its one-line JSON report.

export const BOX_RUN_PATH = '/usr/local/bin/box-run';

export interface BoxRunOptions {
  argv: readonly string[];
  cpuMs: number;
  wallMs: number;
  /** stdout/stderr bigger than this count as outputExceeded */
  outputBytes: number;
  /** RLIMIT_FSIZE for every file the program writes */
  fileBytes: number;
  /** RLIMIT_STACK; 0 leaves the default */
  stackKb: number;
  stdin?: string;
  stdout?: string;
  stderr?: string;
  /** kill every other process of the sandbox user after the run (only safe inside a sandbox) */
  killOthers: boolean;
}

export function boxRunCommand(o: BoxRunOptions): string[] {
  if (o.argv.length === 0) throw new Error('box-run: empty program argv');
  const cmd = [
    BOX_RUN_PATH,
    '--cpu-ms', String(o.cpuMs),
    '--wall-ms', String(o.wallMs),
    '--output-bytes', String(o.outputBytes),
    '--file-bytes', String(o.fileBytes),
    '--stack-kb', String(o.stackKb),
  ];
  if (o.stdin !== undefined) cmd.push('--stdin', o.stdin);
  if (o.stdout !== undefined) cmd.push('--stdout', o.stdout);
  if (o.stderr !== undefined) cmd.push('--stderr', o.stderr);
  if (o.killOthers) cmd.push('--kill-others');
  cmd.push('--', ...o.argv);
  return cmd;
}

export interface BoxRunReport {
  exitCode: number | null;
  signal: number | null;
  timeMs: number;
  wallTimeMs: number;
  memoryKb: number;
  cpuExceeded: boolean;
  wallExceeded: boolean;
  outputExceeded: boolean;
  oomKilled: boolean;
}

/** Parses box-run's stdout (its report is the last non-empty line); throws on anything else. */
export function parseBoxRunReport(stdout: string): BoxRunReport {
  const line = stdout.trim().split('\n').pop() ?? '';
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new Error(`box-run: no JSON report in its output: ${JSON.stringify(stdout.slice(0, 500))}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new Error(`box-run: report is not an object: ${line}`);
  const r = raw as Record<string, unknown>;
  const int = (k: string): number => {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`box-run: bad ${k} in report: ${line}`);
    return v;
  };
  const intOrNull = (k: string): number | null => (r[k] === null ? null : int(k));
  const bool = (k: string): boolean => {
    const v = r[k];
    if (typeof v !== 'boolean') throw new Error(`box-run: bad ${k} in report: ${line}`);
    return v;
  };
  const report: BoxRunReport = {
    exitCode: intOrNull('exitCode'),
    signal: intOrNull('signal'),
    timeMs: int('timeMs'),
    wallTimeMs: int('wallTimeMs'),
    memoryKb: int('memoryKb'),
    cpuExceeded: bool('cpuExceeded'),
    wallExceeded: bool('wallExceeded'),
    outputExceeded: bool('outputExceeded'),
    oomKilled: bool('oomKilled'),
  };
  if ((report.exitCode === null) === (report.signal === null)) {
    throw new Error(`box-run: report needs exactly one of exitCode and signal: ${line}`);
  }
  return report;
}
