import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNTIMES, LANGUAGES, RUNTIMES, findLanguage, runtimeImage } from '../../src/languages/index.js';
import { expandArgv } from '../../src/sandbox/docker-sandbox.js';

describe('language registry', () => {
  it('defines the issue languages, each on a known runtime with a version label', () => {
    expect(LANGUAGES.map((l) => l.id)).toEqual(['c', 'cpp', 'python', 'javascript', 'java', 'go', 'rust']);
    for (const l of LANGUAGES) {
      expect(RUNTIMES).toContain(l.runtime);
      expect(l.versionLabel).toBe(`judge.version.${l.runtime}`);
      expect(l.sourceFileName).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(l.run.length).toBeGreaterThan(0);
      if (l.compile) expect(l.compile).toContain(l.sourceFileName);
    }
    expect(new Set(LANGUAGES.map((l) => l.runtime))).toEqual(new Set(RUNTIMES));
  });

  it('compiles C with -O2 and C++ as C++17 with -O2', () => {
    expect(findLanguage('c')?.compile).toEqual(expect.arrayContaining(['gcc', '-O2']));
    expect(findLanguage('cpp')?.compile).toEqual(expect.arrayContaining(['g++', '-O2', '-std=c++17']));
    expect(findLanguage('python')?.run[0]).toBe('python3');
    expect(findLanguage('javascript')?.run[0]).toBe('node');
    expect(findLanguage('cobol')).toBeUndefined();
  });

  it('builds gcc, python and node by default, the rest on request', () => {
    expect([...DEFAULT_RUNTIMES]).toEqual(['gcc', 'python', 'node']);
    expect(runtimeImage('rust')).toBe('judge-runtime-rust:latest');
  });

  it('fills the run limits into commands that need them (the JVM heap)', () => {
    const java = findLanguage('java')!;
    const argv = expandArgv(java.run, { timeMs: 1, wallTimeMs: 1, memoryKb: 262144, outputKb: 1, processes: 1 });
    expect(argv).toContain('-Xmx262144k');
    expect(argv.join(' ')).not.toMatch(/[{}]/);
  });

  it('keeps build caches out of the saved build', () => {
    expect(findLanguage('go')?.env?.GOCACHE).toMatch(/^\/tmp\//);
  });
});
