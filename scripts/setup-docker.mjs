#!/usr/bin/env node
// Prepares this machine for the judge's sandbox: a Docker engine that answers, and one runtime
// image per toolchain, built offline (no container registry is reachable): a debootstrap minbase
// of Debian bookworm, the toolchain packages from the machine's own Debian mirror, a non-root
// `sandbox` user, and the static `box-run` helper that runs and measures submissions.
//
// Plain Node, no npm dependencies: this runs before `npm install`.
//
//   node scripts/setup-docker.mjs [--all] [--rebuild] [--quiet] [runtime...]
//   (no runtime: gcc, python, node; --all: also java, go, rust)
//
// Exports ensureDocker(log) and ensureRuntimeImages(log, { runtimes, rebuild }).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DEFAULT_SOCKET = '/var/run/docker.sock';
const DOCKERD_LOG = '/var/log/judge-dockerd.log';
const DOCKERD_ARGS = ['--bridge=none', '--iptables=false', '--ip6tables=false'];
const CACHE_DIR = '/var/cache/judge-runtime';
const BASE_DIR = path.join(CACHE_DIR, 'base');
const BASE_MARKER = '.judge-base-complete';
const SUITE = 'bookworm';
const DEBIAN_SUITES = /^(buster|bullseye|bookworm|trixie|forky|duke|sid|oldstable|stable|testing|unstable)$/;
const SANDBOX_UID = 10001;
// The sandbox supervisor's C sources (every .c and .h in the folder), built static into the image.
const BOX_RUN_DIR = fileURLToPath(new URL('../workers/runtime/box-run/', import.meta.url));
const CHROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// Bump when the recipe below changes in a way the package lists do not show.
const RECIPE_VERSION = 2;

// Mirrors src/languages/registry.ts (this script cannot import TypeScript); a unit test keeps the
// two in step.
export const RUNTIME_RECIPES = Object.freeze({
  gcc: {
    packages: ['gcc', 'g++', 'libc6-dev'],
    versionLabel: 'judge.version.gcc',
    versionCommand: ['gcc', '-dumpfullversion'],
    versionPackage: 'gcc',
  },
  python: {
    packages: ['python3'],
    versionLabel: 'judge.version.python',
    versionCommand: ['python3', '-c', 'import platform; print(platform.python_version())'],
    versionPackage: 'python3',
  },
  node: {
    packages: ['nodejs'],
    versionLabel: 'judge.version.node',
    versionCommand: ['node', '-p', 'process.versions.node'],
    versionPackage: 'nodejs',
  },
  // Built only on request (`--all-runtimes`): each is a download of a few hundred MB.
  java: {
    packages: ['openjdk-17-jdk-headless'],
    // The JRE's post-install runs java, which needs /proc.
    mountProc: true,
    versionLabel: 'judge.version.java',
    versionCommand: ['sh', '-c', "javac -version 2>&1 | sed -E 's/^javac ([0-9.]+).*/\\1/'"],
    versionPackage: 'openjdk-17-jdk-headless',
  },
  go: {
    packages: ['golang-go'],
    versionLabel: 'judge.version.go',
    versionCommand: ['sh', '-c', "go version | sed -E 's/^go version go([0-9.]+).*/\\1/'"],
    versionPackage: 'golang-go',
  },
  rust: {
    packages: ['rustc'],
    versionLabel: 'judge.version.rust',
    versionCommand: ['sh', '-c', "rustc --version | sed -E 's/^rustc ([0-9.]+).*/\\1/'"],
    versionPackage: 'rustc',
  },
});
/** What `npm run setup` builds; the others on request. */
export const DEFAULT_RUNTIMES = Object.freeze(['gcc', 'python', 'node']);

export function runtimeImageName(runtime) {
  return `judge-runtime-${runtime}:latest`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Docker Engine API over node:http

function dockerEndpoint() {
  const host = process.env.DOCKER_HOST;
  if (!host) return { socketPath: DEFAULT_SOCKET, describe: `unix://${DEFAULT_SOCKET}`, local: true };
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    const local = socketPath === DEFAULT_SOCKET || socketPath === '/run/docker.sock';
    return { socketPath, describe: host, local };
  }
  if (/^(tcp|http):\/\//.test(host)) {
    if (process.env.DOCKER_TLS_VERIFY) {
      throw new Error(`DOCKER_HOST=${host} with DOCKER_TLS_VERIFY is not supported by the setup; use a unix socket`);
    }
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375), describe: host, local: false };
  }
  throw new Error(`DOCKER_HOST=${host} is not supported by the setup; use unix:// or tcp:// (or unset it)`);
}

// body: undefined, a string/Buffer, or a readable stream (piped, chunked).
function dockerRequest(method, apiPath, { body, headers = {}, timeoutMs = 10_000 } = {}) {
  const endpoint = dockerEndpoint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: endpoint.socketPath,
        host: endpoint.host,
        port: endpoint.port,
        path: apiPath,
        method,
        headers,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`docker ${method} ${apiPath}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body && typeof body.pipe === 'function') {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    } else {
      req.end(body);
    }
  });
}

async function dockerPing(timeoutMs = 2000) {
  try {
    const res = await dockerRequest('GET', '/_ping', { timeoutMs });
    return res.status === 200;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Small process helpers

function which(cmd) {
  for (const dir of hostEnv().PATH.split(':')) {
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

// Root's PATH is not always complete (sudo, cron, CI); dpkg, chroot, debootstrap and dockerd's
// helpers live in the sbin directories.
function hostEnv(extra = {}) {
  const dirs = [...(process.env.PATH || '').split(':'), ...CHROOT_PATH.split(':')].filter(Boolean);
  return { ...process.env, PATH: [...new Set(dirs)].join(':'), DEBIAN_FRONTEND: 'noninteractive', ...extra };
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function isDebian() {
  try {
    const osRelease = fs.readFileSync('/etc/os-release', 'utf8');
    const field = (name) => (osRelease.match(new RegExp(`^${name}=\"?([^\"\\n]*)`, 'm')) || [])[1] || '';
    return field('ID') === 'debian' || field('ID_LIKE').split(/\s+/).includes('debian');
  } catch {
    return false;
  }
}

/** Runs a command; resolves with its stdout, rejects with an Error naming `step` and `fix`. */
function run(cmd, args, { step, fix, env, input, timeoutMs = 20 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: env ?? hostEnv(),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const fail = (why) => {
      const tail = Buffer.concat([...out, ...err]).toString('utf8').trim().split('\n').slice(-15).join('\n');
      reject(
        new Error(
          `${step ?? [cmd, ...args].join(' ')} failed: ${why}` + (tail ? `\n${tail}` : '') + (fix ? `\nFix: ${fix}` : ''),
        ),
      );
    };
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else fail(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
}

// A lock file holding the owner's pid. Concurrent test files may call the setup at the same
// time; only one may run apt-get or write the cache, the other waits and then re-checks.
async function withLock(file, log, what, fn) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    let alive = false;
    try {
      if (owner > 0) process.kill(owner, 0);
      alive = owner > 0;
    } catch (e) {
      alive = e.code === 'EPERM';
    }
    if (!alive) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${what}: lock ${file} held by pid ${owner} for 30 min; remove it if that process is gone`);
    if (!told) log(`${what}: waiting for another setup (pid ${owner})`);
    told = true;
    await sleep(500);
  }
  try {
    return await fn();
  } finally {
    try {
      if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  }
}

async function aptInstallOnHost(packages) {
  if (!isDebian() || !isRoot()) {
    throw new Error(
      `missing ${packages.join(', ')}; installing it automatically needs Debian and root.\n` +
        `Fix: install ${packages.join(' ')} yourself (e.g. sudo apt-get install ${packages.join(' ')}), then re-run.`,
    );
  }
  const env = hostEnv({ NEEDRESTART_SUSPEND: '1' });
  const fix = 'check that the Debian mirror in /etc/apt/sources.list(.d) is reachable, then re-run';
  await run('apt-get', ['update'], { step: 'apt-get update', fix, env });
  await run('apt-get', ['install', '-y', ...packages], { step: `apt-get install ${packages.join(' ')}`, fix, env });
}

// ---------------------------------------------------------------------------------------------
// ensureDocker

export async function ensureDocker(log = console.log) {
  const endpoint = dockerEndpoint();
  if (await dockerPing()) {
    log('docker: engine answers');
    return;
  }
  if (!endpoint.local) {
    throw new Error(
      `docker: the engine at DOCKER_HOST=${endpoint.describe} does not answer GET /_ping.\n` +
        'Fix: start that engine, or unset DOCKER_HOST to use (and let the setup start) the local one.',
    );
  }
  if (!isRoot() || (!which('dockerd') && !isDebian())) {
    throw new Error(
      `docker: no engine answers on ${endpoint.describe}, and starting one automatically needs root ` +
        '(and Debian, to install docker.io).\n' +
        'Fix: install Docker Engine and start it (e.g. sudo apt-get install docker.io && sudo dockerd ' +
        `${DOCKERD_ARGS.join(' ')} &), or run this setup as root on Debian.`,
    );
  }
  await withLock('/run/judge-setup-docker.lock', log, 'docker', async () => {
    if (await dockerPing()) return;
    if (!which('dockerd')) {
      await aptInstallOnHost(['docker.io', 'debootstrap']);
      log('docker: installed docker.io');
      // On a systemd machine the package starts the engine itself.
      if (fs.existsSync('/run/systemd/system') && (await waitForPing(15_000))) return;
    }
    await startDockerd(log);
  });
  log('docker: engine answers');
}

async function waitForPing(ms, child) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await dockerPing(1000)) return true;
    if (child && child.exitCode !== null) return false;
    await sleep(250);
  }
  return false;
}

async function startDockerd(log) {
  const dockerd = which('dockerd');
  if (!dockerd) throw new Error('docker: dockerd not found after installing docker.io.\nFix: sudo apt-get install --reinstall docker.io');
  const logFd = fs.openSync(DOCKERD_LOG, 'a');
  // Detached in its own session with no tie to our stdio, so it outlives this process.
  const child = spawn(dockerd, DOCKERD_ARGS, { detached: true, stdio: ['ignore', logFd, logFd], env: hostEnv() });
  fs.closeSync(logFd);
  let spawnError;
  child.on('error', (e) => {
    spawnError = e;
  });
  child.unref();
  log(`docker: started dockerd (log: ${DOCKERD_LOG})`);
  if (await waitForPing(60_000, child)) return;
  let tail = '';
  try {
    tail = fs.readFileSync(DOCKERD_LOG, 'utf8').trim().split('\n').slice(-10).join('\n');
  } catch {
    // no log
  }
  const how = spawnError ? spawnError.message : child.exitCode !== null ? `it exited with code ${child.exitCode}` : 'no answer within 60 s';
  throw new Error(
    `docker: started dockerd but the engine does not answer (${how}).\n${tail}\n` +
      `Fix: read ${DOCKERD_LOG}; a stale /var/run/docker.pid or another dockerd/containerd may be in the way.`,
  );
}

// ---------------------------------------------------------------------------------------------
// ensureRuntimeImages

/** A digest of everything that goes into an image; images carry it as label judge.build. */
function buildId(runtime) {
  const hash = createHash('sha256');
  hash.update(`${RECIPE_VERSION}\n${SUITE}\n${JSON.stringify(RUNTIME_RECIPES[runtime])}\n`);
  hash.update(boxRunId());
  return hash.digest('hex').slice(0, 16);
}

function boxRunSources() {
  return fs.readdirSync(BOX_RUN_DIR).filter((f) => /\.[ch]$/.test(f)).sort();
}

function boxRunId() {
  const hash = createHash('sha256');
  for (const file of boxRunSources()) hash.update(`${file}\n`).update(fs.readFileSync(path.join(BOX_RUN_DIR, file)));
  return hash.digest('hex').slice(0, 16);
}

async function listRuntimeImages() {
  const filters = encodeURIComponent(JSON.stringify({ label: ['judge.runtime'] }));
  const res = await dockerRequest('GET', `/images/json?filters=${filters}`);
  if (res.status !== 200) throw new Error(`docker: listing images failed (HTTP ${res.status}): ${res.text}`);
  return JSON.parse(res.text);
}

async function missingRuntimes(runtimes) {
  const images = await listRuntimeImages();
  return runtimes.filter((runtime) => {
    const want = runtimeImageName(runtime);
    const id = buildId(runtime);
    return !images.some(
      (img) =>
        (img.RepoTags || []).includes(want) &&
        img.Labels?.['judge.runtime'] === runtime &&
        img.Labels?.['judge.build'] === id,
    );
  });
}

export async function ensureRuntimeImages(log = console.log, { runtimes = DEFAULT_RUNTIMES, rebuild = false } = {}) {
  for (const runtime of runtimes) {
    if (!RUNTIME_RECIPES[runtime]) {
      throw new Error(`images: unknown runtime '${runtime}' (known: ${Object.keys(RUNTIME_RECIPES).join(', ')})`);
    }
  }
  let todo = rebuild ? [...runtimes] : await missingRuntimes(runtimes);
  if (todo.length === 0) {
    log(`images: present (${runtimes.join(', ')})`);
    return;
  }
  if (!isRoot()) {
    throw new Error(
      `images: ${todo.map(runtimeImageName).join(', ')} missing or outdated; building them needs root (debootstrap, chroot).\n` +
        'Fix: sudo node scripts/setup-docker.mjs',
    );
  }
  await withLock(path.join(CACHE_DIR, '.lock'), log, 'images', async () => {
    // Another process may have built them while we waited for the lock.
    if (!rebuild) todo = await missingRuntimes(todo);
    if (todo.length === 0) return;
    const started = Date.now();
    if (!which('debootstrap')) {
      await aptInstallOnHost(['debootstrap']);
      log('images: installed debootstrap');
    }
    const mirror = findDebianMirror();
    const apt = hostAptSettings();
    await ensureBase(mirror, apt, log);
    // gcc first: its rootfs can compile box-run when the host has no static-capable gcc.
    todo.sort((a, b) => (a === 'gcc' ? -1 : b === 'gcc' ? 1 : 0));
    const built = [];
    for (const runtime of todo) built.push(await buildRuntime(runtime, apt, log));
    log(`images: built ${built.join(', ')} in ${seconds(Date.now() - started)}`);
  });
}

// The machine's own Debian mirror: the main suite's URI from its apt sources. undefined lets
// debootstrap use its built-in default.
export function findDebianMirror(aptDir = '/etc/apt') {
  const candidates = [];
  const consider = (uri, suites) => {
    if (!/^(https?|file):/.test(uri)) return;
    // Only Debian's own archive: a third-party repository (its own suite names) or the
    // security/updates suites cannot bootstrap a system.
    const main = suites.some((s) => DEBIAN_SUITES.test(s));
    if (!main || /security/.test(uri)) return;
    candidates.push({ uri: uri.replace(/\/+$/, ''), exact: suites.includes(SUITE) });
  };
  let files = [];
  try {
    files = fs.readdirSync(path.join(aptDir, 'sources.list.d')).map((f) => path.join(aptDir, 'sources.list.d', f));
  } catch {
    // no directory
  }
  for (const file of files.filter((f) => f.endsWith('.sources')).sort()) {
    const text = readOrEmpty(file);
    for (const stanza of text.split(/\n\s*\n/)) {
      const fields = {};
      for (const line of stanza.split('\n')) {
        const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
        if (m) fields[m[1].toLowerCase()] = m[2].trim();
      }
      if (!(fields.types || '').split(/\s+/).includes('deb')) continue;
      if ((fields.enabled || 'yes').toLowerCase() === 'no') continue;
      const uri = (fields.uris || '').split(/\s+/)[0];
      if (uri) consider(uri, (fields.suites || '').split(/\s+/));
    }
  }
  const listFiles = [path.join(aptDir, 'sources.list'), ...files.filter((f) => f.endsWith('.list')).sort()];
  for (const file of listFiles) {
    for (const raw of readOrEmpty(file).split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      if (m) consider(m[1], [m[2]]);
    }
  }
  return (candidates.find((c) => c.exact) ?? candidates[0])?.uri;
}

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// apt settings of the host that the chroot's apt needs too (a proxy; a mirror serving a
// snapshot whose Release files are past Valid-Until).
function hostAptSettings() {
  const options = [];
  const env = {};
  const res = spawnSync('apt-config', ['dump'], { encoding: 'utf8', env: hostEnv() });
  const dump = res.status === 0 ? res.stdout : '';
  const value = (key) => {
    const m = new RegExp(`^${key.replace(/:/g, ':')} "([^"]*)";`, 'mi').exec(dump);
    return m ? m[1] : undefined;
  };
  const validUntil = value('Acquire::Check-Valid-Until');
  if (validUntil !== undefined) options.push('-o', `Acquire::Check-Valid-Until=${validUntil}`);
  for (const scheme of ['http', 'https']) {
    const proxy = value(`Acquire::${scheme}::Proxy`);
    if (proxy) {
      options.push('-o', `Acquire::${scheme}::Proxy=${proxy}`);
      env[`${scheme}_proxy`] = proxy;
    }
  }
  for (const name of ['http_proxy', 'https_proxy', 'no_proxy']) {
    if (process.env[name] && !env[name]) env[name] = process.env[name];
  }
  return { options, env };
}

function chrootEnv(apt) {
  return { PATH: CHROOT_PATH, HOME: '/root', LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive', ...apt.env };
}

async function ensureBase(mirror, apt, log) {
  const markerPath = path.join(BASE_DIR, BASE_MARKER);
  const want = JSON.stringify({ suite: SUITE, mirror: mirror ?? null });
  if (readOrEmpty(markerPath) === want) return;
  const started = Date.now();
  log(`images: debootstrap ${SUITE} minbase into ${BASE_DIR} (${mirror ? 'mirror from apt sources' : 'debootstrap default mirror'})`);
  // Built aside and renamed into place, so an interrupted run never leaves a half base behind.
  const tmp = `${BASE_DIR}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const args = ['--variant=minbase', SUITE, tmp];
  if (mirror) args.push(mirror);
  try {
    await run('debootstrap', args, {
      step: 'debootstrap',
      fix: `check that ${mirror ? 'the mirror in /etc/apt sources' : "debootstrap's default mirror"} is reachable, then re-run`,
      env: hostEnv(apt.env),
    });
    // Fresh package lists in the base, so each runtime copy can install without its own update.
    await aptInChroot(tmp, ['update'], apt, 'apt-get update (base rootfs)');
    await run('chroot', [tmp, 'apt-get', 'clean'], { step: 'apt-get clean (base rootfs)', env: chrootEnv(apt) });
    fs.writeFileSync(path.join(tmp, BASE_MARKER), want);
    fs.rmSync(BASE_DIR, { recursive: true, force: true });
    fs.renameSync(tmp, BASE_DIR);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  log(`images: base rootfs ready in ${seconds(Date.now() - started)}`);
}

function aptInChroot(root, args, apt, step) {
  return run('chroot', [root, 'apt-get', ...apt.options, ...args], {
    step,
    fix: 'check that the Debian mirror in /etc/apt sources is reachable (and the disk has space), then re-run',
    env: chrootEnv(apt),
  });
}

async function buildRuntime(runtime, apt, log) {
  const recipe = RUNTIME_RECIPES[runtime];
  const image = runtimeImageName(runtime);
  const started = Date.now();
  const root = path.join(CACHE_DIR, 'work', runtime);
  log(`images: building ${image} (${recipe.packages.join(' ')})`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(root), { recursive: true });
  try {
    await run('cp', ['-a', BASE_DIR, root], { step: `copy base rootfs for ${runtime}`, fix: `check free space under ${CACHE_DIR}` });
    fs.rmSync(path.join(root, BASE_MARKER), { force: true });
    fs.rmSync(path.join(root, 'etc/resolv.conf'), { force: true });
    fs.copyFileSync('/etc/resolv.conf', path.join(root, 'etc/resolv.conf'));

    const install = ['install', '-y', '--no-install-recommends', ...recipe.packages];
    const version = await withProc(root, recipe.mountProc === true, async () => {
      try {
        await aptInChroot(root, install, apt, `apt-get install ${recipe.packages.join(' ')} (${runtime})`);
      } catch {
        // The cached base's package lists may be outdated (files gone from the mirror): refresh once.
        await aptInChroot(root, ['update'], apt, `apt-get update (${runtime})`);
        await aptInChroot(root, install, apt, `apt-get install ${recipe.packages.join(' ')} (${runtime})`);
      }
      return toolchainVersion(root, recipe, apt);
    });

    const boxRun = await boxRunBinary(runtime === 'gcc' ? root : undefined, apt, log);
    fs.mkdirSync(path.join(root, 'usr/local/bin'), { recursive: true });
    fs.copyFileSync(boxRun, path.join(root, 'usr/local/bin/box-run'));
    fs.chmodSync(path.join(root, 'usr/local/bin/box-run'), 0o755);

    addSandboxUser(root);
    fs.mkdirSync(path.join(root, 'box'), { recursive: true });
    fs.chownSync(path.join(root, 'box'), SANDBOX_UID, SANDBOX_UID);
    fs.chmodSync(path.join(root, 'box'), 0o755);

    // Keep the image small: nothing in it ever runs apt again.
    await run('chroot', [root, 'apt-get', 'clean'], { step: `apt-get clean (${runtime})`, env: chrootEnv(apt) });
    for (const dir of ['var/lib/apt/lists', 'var/cache/apt', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'var/log']) {
      emptyDir(path.join(root, dir));
    }
    // Docker bind-mounts its own; the host's must not end up in the image.
    fs.writeFileSync(path.join(root, 'etc/resolv.conf'), '');

    const labels = { 'judge.runtime': runtime, [recipe.versionLabel]: version, 'judge.build': buildId(runtime) };
    await importRootfs(root, image, labels);
    log(`images: built ${image} (${recipe.versionLabel}=${version}) in ${seconds(Date.now() - started)}`);
    return image;
  } finally {
    // Never delete through a mount that is still there: it would reach the host's /proc.
    if (!isMountPoint(path.join(root, 'proc'))) fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Runs fn with /proc mounted in the chroot when asked; always unmounts before returning. */
async function withProc(root, mount, fn) {
  if (!mount) return fn();
  const target = path.join(root, 'proc');
  fs.mkdirSync(target, { recursive: true });
  await run('mount', ['-t', 'proc', 'proc', target], { step: `mount /proc in ${root}` });
  try {
    return await fn();
  } finally {
    await run('umount', [target], { step: `umount ${target}` }).catch(() => run('umount', ['-l', target], { step: `umount -l ${target}` }));
  }
}

function isMountPoint(dir) {
  let real;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return false;
  }
  return readOrEmpty('/proc/self/mounts')
    .split('\n')
    .some((line) => line.split(' ')[1] === real);
}

function emptyDir(dir) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}

function addSandboxUser(root) {
  const passwd = path.join(root, 'etc/passwd');
  const group = path.join(root, 'etc/group');
  if (!/^sandbox:/m.test(readOrEmpty(passwd))) {
    fs.appendFileSync(passwd, `sandbox:x:${SANDBOX_UID}:${SANDBOX_UID}:judge sandbox:/box:/usr/sbin/nologin\n`);
  }
  if (!/^sandbox:/m.test(readOrEmpty(group))) fs.appendFileSync(group, `sandbox:x:${SANDBOX_UID}:\n`);
}

// Read from the toolchain itself; dpkg's upstream version as the fallback.
async function toolchainVersion(root, recipe, apt) {
  const step = `reading the ${recipe.versionLabel} version`;
  try {
    const out = (await run('chroot', [root, ...recipe.versionCommand], { step, env: chrootEnv(apt) })).trim();
    if (/^\d+(\.\d+)+$/.test(out)) return out;
  } catch {
    // fall through
  }
  const out = await run('chroot', [root, 'dpkg-query', '-W', '-f=${Version}', recipe.versionPackage], {
    step,
    env: chrootEnv(apt),
  });
  return upstreamVersion(out.trim());
}

/** "4:12.2.0-3" -> "12.2.0", "18.20.4+dfsg-1~deb12u1" -> "18.20.4" */
export function upstreamVersion(debianVersion) {
  return debianVersion.replace(/^\d+:/, '').split(/[-+~]/)[0];
}

// box-run is compiled once per source version and cached. The host's gcc is used when it can
// link statically; otherwise the gcc runtime rootfs (gccRoot, or a throwaway one).
async function boxRunBinary(gccRoot, apt, log) {
  const cached = path.join(CACHE_DIR, `box-run-${boxRunId()}`);
  if (fs.existsSync(cached)) return cached;
  // Binaries of older sources are of no further use.
  for (const f of fs.readdirSync(CACHE_DIR)) if (/^box-run-[0-9a-f]+$/.test(f)) fs.rmSync(path.join(CACHE_DIR, f), { force: true });
  const tmp = `${cached}.tmp-${process.pid}`;
  const gccArgs = ['-O2', '-static', '-Wall', '-o'];
  if (which('gcc')) {
    try {
      const units = boxRunSources().filter((f) => f.endsWith('.c')).map((f) => path.join(BOX_RUN_DIR, f));
      await run('gcc', [...gccArgs, tmp, ...units], { step: 'compile box-run (host gcc)' });
      fs.renameSync(tmp, cached);
      log('images: compiled box-run with the host gcc');
      return cached;
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
  let root = gccRoot;
  const throwaway = path.join(CACHE_DIR, 'work', 'box-run-toolchain');
  if (!root) {
    root = throwaway;
    fs.rmSync(root, { recursive: true, force: true });
    await run('cp', ['-a', BASE_DIR, root], { step: 'copy base rootfs for compiling box-run' });
    fs.copyFileSync('/etc/resolv.conf', path.join(root, 'etc/resolv.conf'));
    await aptInChroot(root, ['install', '-y', '--no-install-recommends', ...RUNTIME_RECIPES.gcc.packages], apt, 'apt-get install gcc (box-run toolchain)');
  }
  try {
    const srcDir = path.join(root, 'tmp/box-run-src');
    fs.rmSync(srcDir, { recursive: true, force: true });
    fs.mkdirSync(srcDir, { recursive: true });
    for (const file of boxRunSources()) fs.copyFileSync(path.join(BOX_RUN_DIR, file), path.join(srcDir, file));
    const units = boxRunSources().filter((f) => f.endsWith('.c')).map((f) => `/tmp/box-run-src/${f}`);
    await run('chroot', [root, 'gcc', ...gccArgs, '/tmp/box-run', ...units], {
      step: 'compile box-run (gcc in the runtime rootfs)',
      fix: 'fix the compile error in workers/runtime/box-run/',
      env: chrootEnv(apt),
    });
    fs.copyFileSync(path.join(root, 'tmp/box-run'), tmp);
    fs.renameSync(tmp, cached);
    fs.rmSync(path.join(root, 'tmp/box-run'), { force: true });
    fs.rmSync(srcDir, { recursive: true, force: true });
  } finally {
    if (root === throwaway) fs.rmSync(throwaway, { recursive: true, force: true });
  }
  log('images: compiled box-run in the gcc rootfs');
  return cached;
}

// `tar | docker import` through the API: POST /images/create?fromSrc=- with the tar as body.
async function importRootfs(root, image, labels) {
  const [repo, tag] = image.split(':');
  const before = await imageId(image);
  const label = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const changes = [`LABEL ${label}`, `ENV PATH=${CHROOT_PATH}`, 'CMD ["sleep", "infinity"]'];
  const query = [`fromSrc=-`, `repo=${encodeURIComponent(repo)}`, `tag=${encodeURIComponent(tag)}`]
    .concat(changes.map((c) => `changes=${encodeURIComponent(c)}`))
    .join('&');
  const tar = spawn('tar', ['--numeric-owner', '-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'], env: hostEnv() });
  const tarErr = [];
  tar.stderr.on('data', (c) => tarErr.push(c));
  const tarDone = new Promise((resolve) => tar.on('close', resolve));
  const res = await dockerRequest('POST', `/images/create?${query}`, {
    body: tar.stdout,
    headers: { 'Content-Type': 'application/x-tar' },
    timeoutMs: 10 * 60_000,
  });
  const tarCode = await tarDone;
  const streamError = /"error"\s*:\s*"([^"]*)"/.exec(res.text);
  if (tarCode !== 0 || res.status !== 200 || streamError) {
    throw new Error(
      `docker import of ${image} failed: ${streamError?.[1] ?? `HTTP ${res.status}, tar exit ${tarCode}`}\n` +
        `${Buffer.concat(tarErr).toString('utf8').trim()}\nFix: check the Docker engine log and free space under /var/lib/docker`,
    );
  }
  // The previous build of this tag is now dangling; drop it (ignored while containers use it).
  const after = await imageId(image);
  if (before && after && before !== after) {
    await dockerRequest('DELETE', `/images/${encodeURIComponent(before)}`).catch(() => undefined);
  }
}

async function imageId(image) {
  const res = await dockerRequest('GET', `/images/${encodeURIComponent(image)}/json`);
  return res.status === 200 ? JSON.parse(res.text).Id : undefined;
}

// ---------------------------------------------------------------------------------------------
// CLI

async function main(argv) {
  let rebuild = false;
  let quiet = false;
  const runtimes = [];
  for (const arg of argv) {
    if (arg === '--rebuild') rebuild = true;
    else if (arg === '--quiet') quiet = true;
    else if (arg === '--all') runtimes.push(...Object.keys(RUNTIME_RECIPES));
    else if (!arg.startsWith('-') && RUNTIME_RECIPES[arg]) runtimes.push(arg);
    else throw new Error(`unknown argument '${arg}'\nusage: node scripts/setup-docker.mjs [--all] [--rebuild] [--quiet] [${Object.keys(RUNTIME_RECIPES).join('|')}...]`);
  }
  const log = quiet ? () => {} : (line) => console.log(line);
  await ensureDocker(log);
  await ensureRuntimeImages(log, { runtimes: runtimes.length ? [...new Set(runtimes)] : DEFAULT_RUNTIMES, rebuild });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
