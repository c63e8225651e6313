import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RUNTIMES as REGISTRY_DEFAULTS, LANGUAGES, RUNTIMES } from '../../src/languages/index.js';
import {
  DEFAULT_RUNTIMES,
  findDebianMirror,
  RUNTIME_RECIPES,
  runtimeImageName,
  upstreamVersion,
} from '../../scripts/setup-docker.mjs';
import { runtimeImage } from '../../src/languages/index.js';

// The setup script cannot import the TypeScript registry; these keep the two in step.
describe('setup-docker recipes', () => {
  it('cover exactly the registry runtimes, with the same image names and defaults', () => {
    expect([...DEFAULT_RUNTIMES]).toEqual([...REGISTRY_DEFAULTS]);
    expect(Object.keys(RUNTIME_RECIPES).sort()).toEqual([...RUNTIMES].sort());
    for (const runtime of RUNTIMES) expect(runtimeImageName(runtime)).toBe(runtimeImage(runtime));
  });

  it('write the version label each language reads', () => {
    for (const language of LANGUAGES) {
      expect(RUNTIME_RECIPES[language.runtime].versionLabel).toBe(language.versionLabel);
    }
  });
});

describe('upstreamVersion', () => {
  it('strips the epoch and the Debian revision', () => {
    expect(upstreamVersion('4:12.2.0-3')).toBe('12.2.0');
    expect(upstreamVersion('3.11.2-1+b1')).toBe('3.11.2');
    expect(upstreamVersion('18.20.4+dfsg-1~deb12u1')).toBe('18.20.4');
  });
});

describe('findDebianMirror', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function aptDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apt-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'sources.list.d'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it('reads the main suite from deb822 sources, skipping security and disabled stanzas', () => {
    const dir = aptDir({
      'sources.list.d/debian.sources': [
        'Types: deb',
        'URIs: http://security.mirror.invalid/debian-security',
        'Suites: bookworm-security',
        'Components: main',
        '',
        'Types: deb-src',
        'URIs: http://src.mirror.invalid/debian',
        'Suites: bookworm',
        '',
        'Types: deb',
        'URIs: http://off.mirror.invalid/debian',
        'Suites: bookworm',
        'Enabled: no',
        '',
        'Types: deb',
        '# a comment',
        'URIs: http://main.mirror.invalid/debian/',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        '',
      ].join('\n'),
    });
    expect(findDebianMirror(dir)).toBe('http://main.mirror.invalid/debian');
  });

  it('reads one-line sources.list entries, preferring the bookworm suite', () => {
    const dir = aptDir({
      'sources.list': [
        '# deb http://commented.mirror.invalid/debian bookworm main',
        'deb http://security.mirror.invalid/debian-security bookworm-security main',
        'deb http://old.mirror.invalid/debian bullseye main',
        'deb http://thirdparty.invalid/repo nodistro main',
        'deb [arch=amd64 signed-by=/x.gpg] http://main.mirror.invalid/debian bookworm main',
      ].join('\n'),
    });
    expect(findDebianMirror(dir)).toBe('http://main.mirror.invalid/debian');
  });

  it('falls back to the Debian archive of another release, never to a third-party repository', () => {
    const dir = aptDir({
      'sources.list': 'deb http://thirdparty.invalid/repo nodistro main\ndeb http://main.mirror.invalid/debian trixie main\n',
    });
    expect(findDebianMirror(dir)).toBe('http://main.mirror.invalid/debian');
    expect(findDebianMirror(aptDir({ 'sources.list': 'deb http://thirdparty.invalid/repo nodistro main\n' }))).toBeUndefined();
  });

  it('is undefined without sources, so debootstrap uses its default', () => {
    expect(findDebianMirror(aptDir({}))).toBeUndefined();
    expect(findDebianMirror('/nonexistent/apt')).toBeUndefined();
  });
});
