// The wire format of box-run serve (workers/runtime/box-run/main.c): requests are a text line
// and the payload it announces; replies a text line and the bytes it announces.

export const PROTOCOL_VERSION = 2;

export interface RunRequest {
  argv: readonly string[];
  env: readonly string[];
  cpuMs: number;
  wallMs: number;
  /** a sampled peak above this ends the run early (0: no check) */
  memoryKb: number;
  outputBytes: number;
  stderrBytes: number;
  fileSizeBytes: number;
  /** 0 keeps the inherited stack limit */
  stackKb: number;
  openFiles: number;
  /** stderr into stdout's pipe (compiler logs) */
  merge: boolean;
  /** stdout past outputBytes ends the run (tests) instead of only being cut (compiler logs) */
  killOnOutput: boolean;
  /** wipe the sandbox and restore the saved build first */
  restore: boolean;
}

export interface SupervisorReport {
  exitCode: number | null;
  signal: number | null;
  timeMs: number;
  wallTimeMs: number;
  memoryKb: number;
  cpuExceeded: boolean;
  wallExceeded: boolean;
  outputExceeded: boolean;
  /** the container ran out of memory during the run (the program was stopped and killed) */
  oomKilled: boolean;
  /** the sampled peak went over the memory limit (the run was ended early) */
  memoryExceeded: boolean;
  /** bytes of stdout and stderr that follow the report line */
  stdoutBytes: number;
  stderrBytes: number;
  /** bytes the program wrote to each */
  stdoutTotal: number;
  stderrTotal: number;
}

const MAX_STRINGS_BYTES = 64 * 1024;
const MAX_ARGS = 256;

export function encodePut(name: string, data: Uint8Array, mode = 0o644): Buffer[] {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(name) || name === '.' || name === '..') throw new Error(`supervisor: bad file name ${JSON.stringify(name)}`);
  return [Buffer.from(`PUT ${name} ${data.length} ${mode.toString(8)}\n`), Buffer.from(data.buffer, data.byteOffset, data.byteLength)];
}

export function encodeRun(r: RunRequest, stdin: Uint8Array): Buffer[] {
  if (r.argv.length === 0 || r.argv.length > MAX_ARGS || r.env.length > MAX_ARGS) throw new Error('supervisor: argv needs 1..256 entries, env at most 256');
  const strings = [...r.argv, ...r.env];
  if (strings.some((s) => s.includes('\0'))) throw new Error('supervisor: argv and env may not contain NUL');
  const packed = Buffer.from(strings.map((s) => `${s}\0`).join(''), 'utf8');
  if (packed.length > MAX_STRINGS_BYTES) throw new Error('supervisor: argv and env over 64 KiB');
  const fields: Record<string, number> = {
    cpu_ms: r.cpuMs,
    wall_ms: r.wallMs,
    mem_kb: r.memoryKb,
    out_bytes: r.outputBytes,
    err_bytes: r.stderrBytes,
    fsize_bytes: r.fileSizeBytes,
    stack_kb: r.stackKb,
    nofile: r.openFiles,
    merge: r.merge ? 1 : 0,
    kill_on_output: r.killOnOutput ? 1 : 0,
    restore: r.restore ? 1 : 0,
    argc: r.argv.length,
    envc: r.env.length,
    stdin: stdin.length,
  };
  for (const [k, v] of Object.entries(fields)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`supervisor: ${k} must be a non-negative integer, got ${v}`);
  }
  const line = `RUN ${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ')}\n`;
  return [Buffer.from(line), packed, Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength)];
}

/** An ERR reply: the supervisor refused or failed the request and is ready for the next. */
export class SupervisorError extends Error {
  constructor(message: string) {
    super(`sandbox supervisor: ${message}`);
    this.name = 'SupervisorError';
  }
}

/** Splits a reply line into its word and the rest; ERR becomes a SupervisorError. */
export function replyWord(line: string, expected: 'OK' | 'REPORT'): string {
  if (line.startsWith('ERR ')) throw new SupervisorError(line.slice(4));
  if (line === expected) return '';
  if (line.startsWith(`${expected} `)) return line.slice(expected.length + 1);
  throw new Error(`sandbox supervisor: unexpected reply ${JSON.stringify(line.slice(0, 200))}`);
}

/** Parses the JSON of a REPORT line; throws on anything that is not a complete report. */
export function parseReport(json: string, maxStdout: number, maxStderr: number): SupervisorReport {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`sandbox supervisor: report is not JSON: ${json.slice(0, 300)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`sandbox supervisor: report is not an object: ${json.slice(0, 300)}`);
  const r = raw as Record<string, unknown>;
  const int = (k: string): number => {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error(`sandbox supervisor: bad ${k} in report: ${json.slice(0, 300)}`);
    return v;
  };
  const intOrNull = (k: string): number | null => (r[k] === null ? null : int(k));
  const bool = (k: string): boolean => {
    const v = r[k];
    if (typeof v !== 'boolean') throw new Error(`sandbox supervisor: bad ${k} in report: ${json.slice(0, 300)}`);
    return v;
  };
  const report: SupervisorReport = {
    exitCode: intOrNull('exitCode'),
    signal: intOrNull('signal'),
    timeMs: int('timeMs'),
    wallTimeMs: int('wallTimeMs'),
    memoryKb: int('memoryKb'),
    cpuExceeded: bool('cpuExceeded'),
    wallExceeded: bool('wallExceeded'),
    outputExceeded: bool('outputExceeded'),
    oomKilled: bool('oomKilled'),
    memoryExceeded: bool('memoryExceeded'),
    stdoutBytes: int('stdoutBytes'),
    stderrBytes: int('stderrBytes'),
    stdoutTotal: int('stdoutTotal'),
    stderrTotal: int('stderrTotal'),
  };
  if ((report.exitCode === null) === (report.signal === null)) {
    throw new Error(`sandbox supervisor: report needs exactly one of exitCode and signal: ${json.slice(0, 300)}`);
  }
  if (report.stdoutBytes > maxStdout || report.stderrBytes > maxStderr) {
    throw new Error(`sandbox supervisor: report announces more output than was asked for: ${json.slice(0, 300)}`);
  }
  return report;
}
