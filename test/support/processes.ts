import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface JudgeProcess {
  child: ChildProcess;
  port: number | null;
  lines: Array<Record<string, unknown>>;
  /** SIGTERM, then waits for the exit; returns the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `src/main.ts` as a real process with the given environment; resolves once it logged "judge started". */
export async function startJudgeProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<JudgeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += String(c)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`judge process did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === 'judge started') {
          clearTimeout(timer);
          resolve(entry);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => reject(new Error(`judge process exited with ${code}: ${stderr}`)));
  });
  const first = await started;
  return {
    child,
    port: typeof first.port === 'number' ? first.port : null,
    lines,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
