import type { CustomChecker, Verdict } from '../src/domain/index.js';
import { findLanguage } from '../src/languages/index.js';
import type { Sandbox, SandboxLimits, SandboxPool } from '../src/sandbox/index.js';

// Custom checkers run as ICPC output validators, in a sandbox of their own, never in the judge:
//   checker <input> <answer> <feedback dir>  < contestant output
// exit 42: accepted; 43: wrong answer; anything else (or a crash, or a limit): INTERNAL_ERROR
// for that test, never WRONG_ANSWER. <feedback dir>/judgemessage.txt becomes checkerMessage.

export interface CheckResult {
  verdict: Extract<Verdict, 'ACCEPTED' | 'WRONG_ANSWER' | 'INTERNAL_ERROR'>;
  message: string | null;
}

export interface Checker {
  check(input: string, answer: string, output: string): Promise<CheckResult>;
}

/** A checker gets generous limits: it is the problem setter's code, judging one output. */
const CHECKER_LIMITS: SandboxLimits = { timeMs: 10_000, wallTimeMs: 20_000, memoryKb: 512 * 1024, outputKb: 64, processes: 16 };
const ACCEPTED = 42;
const WRONG_ANSWER = 43;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

class SandboxedChecker implements Checker {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sandbox: Sandbox,
    private readonly run: readonly string[],
  ) {}

  /** One check at a time: its files and its run belong together. */
  check(input: string, answer: string, output: string): Promise<CheckResult> {
    const mine = this.turn.then(() => this.checkNow(input, answer, output));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async checkNow(input: string, answer: string, output: string): Promise<CheckResult> {
    await this.sandbox.put('input', input);
    await this.sandbox.put('answer', answer);
    // A fresh feedback dir per check; the checker's own stdout is not part of the protocol, so
    // stdout carries judgemessage.txt back.
    const script = `rm -rf feedback && mkdir feedback && ${this.run.map(quote).join(' ')} input answer feedback >/dev/null; c=$?; cat feedback/judgemessage.txt 2>/dev/null; exit $c`;
    const result = await this.sandbox.run(output, CHECKER_LIMITS, { argv: ['/bin/sh', '-c', script], restore: false });
    const message = result.stdout.trim() === '' ? null : result.stdout.slice(0, 4096);
    const clean = !result.cpuTimeExceeded && !result.wallTimeExceeded && !result.memoryExceeded && result.signal === null;
    if (clean && result.exitCode === ACCEPTED) return { verdict: 'ACCEPTED', message };
    if (clean && result.exitCode === WRONG_ANSWER) return { verdict: 'WRONG_ANSWER', message };
    const why = result.signal !== null ? `signal ${result.signal}` : !clean ? 'a limit' : `exit code ${result.exitCode}`;
    return { verdict: 'INTERNAL_ERROR', message: message ?? `checker ended with ${why}` };
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }
}

/**
 * Checkers compiled once per problem version and kept while they are used: a checker sandbox
 * holds only the problem setter's code, so, unlike a submission's, it serves many submissions
 * (one check at a time). Idle ones are closed after a while.
 */
export class CheckerCache {
  private readonly entries = new Map<string, { checker: Promise<SandboxedChecker>; lastUsed: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly pool: SandboxPool,
    private readonly idleMs = 10 * 60_000,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  async get(key: string, checker: CustomChecker, source: string, files: ReadonlyArray<{ name: string; content: string }> = []): Promise<Checker> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { checker: this.create(checker, source, files), lastUsed: Date.now() };
      this.entries.set(key, entry);
      // A checker that fails to build is not cached: the next judging tries again.
      entry.checker.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    const cached = entry;
    const sandboxed = await cached.checker;
    return {
      check: async (input, answer, output) => {
        cached.lastUsed = Date.now();
        try {
          return await sandboxed.check(input, answer, output);
        } catch (err) {
          // Its sandbox is gone or broken (dockerd restarted, say): build a new one next time.
          if (this.entries.get(key) === cached) {
            this.entries.delete(key);
            void sandboxed.close().catch(() => undefined);
          }
          throw err;
        } finally {
          cached.lastUsed = Date.now();
        }
      },
    };
  }

  private async create(checker: CustomChecker, source: string, files: ReadonlyArray<{ name: string; content: string }>): Promise<SandboxedChecker> {
    const language = findLanguage(checker.language);
    if (!language) throw new Error(`checker language ${checker.language} is not in this worker's registry`);
    const sandbox = await this.pool.acquire({ language, source, limits: CHECKER_LIMITS });
    // Headers and modules beside the source, before the build (they are part of it).
    for (const f of files) await sandbox.put(f.name, f.content);
    const compiled = await sandbox.compile();
    if (compiled && !compiled.success) {
      await sandbox.close();
      throw new Error(`the checker does not compile: ${compiled.output.slice(0, 2000)}`);
    }
    return new SandboxedChecker(sandbox, language.run);
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUsed < this.idleMs) continue;
      this.entries.delete(key);
      await entry.checker.then((c) => c.close()).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.checker.then((c) => c.close()).catch(() => undefined)));
  }
}
