#!/usr/bin/env node
// `npm run setup`: brings a machine from a clean clone to a judge that can start. Idempotent and
// quick when nothing is missing; prints what it did, and on failure names the missing piece and
// the fix. Plain Node with no npm dependencies until step 1 has installed them.
//
//   node scripts/setup.mjs [--quiet] [--all-runtimes]
//
// 1. npm dependencies   2. TypeScript build   3. Postgres database + migrations
// 4. NATS JetStream     5. Docker engine      6. runtime images (built offline)

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDocker, ensureRuntimeImages, DEFAULT_RUNTIMES, RUNTIME_RECIPES } from './setup-docker.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const allRuntimes = args.includes('--all-runtimes');

const say = (line) => console.log(`setup: ${line}`);
const note = (line) => {
  if (!quiet) say(line);
};

class SetupError extends Error {}

function run(command, argv, what) {
  const result = spawnSync(command, argv, { cwd: root, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) {
    throw new SetupError(`${what} failed (${command} ${argv.join(' ')})${result.stderr ? `:\n${result.stderr.slice(-2000)}` : ''}`);
  }
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function ensureDependencies() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs) {
    note('npm: dependencies present');
    return;
  }
  say('npm: installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], 'installing npm dependencies');
}

function ensureBuild() {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(...['src', 'workers', 'tsconfig.json', 'package-lock.json'].map((p) => newestMtime(join(root, p))));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) {
    note('build: up to date');
    return;
  }
  say('build: compiling TypeScript (tsc)');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], 'the TypeScript build');
  writeFileSync(stamp, new Date().toISOString());
}

async function ensureDatabase() {
  const { default: pg } = await import('pg');
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/judge');
  const database = decodeURIComponent(url.pathname.slice(1)) || 'judge';
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (e) {
    throw new SetupError(
      `postgres: cannot connect to ${url.host} (${e.message}). Start PostgreSQL 15+ there, or set DATABASE_URL to a server that runs.`,
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      say(`postgres: created database ${database}`);
    }
  } finally {
    await client.end();
  }
  const { connect, migrateToLatest } = await import(pathToFileURL(join(root, 'dist/src/eventstore/index.js')).href);
  const db = connect(url.toString(), 1);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) say(`postgres: applied migrations ${applied.join(', ')}`);
    else note(`postgres: database ${database} is migrated`);
  } finally {
    await db.destroy();
  }
}

async function ensureJetStream() {
  const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  let nc;
  try {
    nc = await connect({ servers: natsUrl, timeout: 5000 });
  } catch (e) {
    throw new SetupError(`nats: cannot connect to ${natsUrl} (${e.message}). Start nats-server with JetStream (-js), or set NATS_URL.`);
  }
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.getAccountInfo();
    note('nats: JetStream answers');
  } catch (e) {
    throw new SetupError(`nats: ${natsUrl} answers but JetStream does not (${e.message}). Start nats-server with -js.`);
  } finally {
    await nc.close();
  }
}

// Debian's docker-compose validates docker-compose.yml (the production deployment) in the tests.
function ensureComposeTool() {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) {
    note('compose: docker-compose present');
    return;
  }
  const debianRoot = existsSync('/etc/debian_version') && process.getuid?.() === 0;
  if (!debianRoot) throw new SetupError('compose: docker-compose is missing. Install it (Debian: apt-get install docker-compose), then re-run.');
  say('compose: installing Debian docker-compose');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'docker-compose'], { env, encoding: 'utf8' });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
    run('apt-get', ['install', '-y', '-qq', 'docker-compose'], 'installing docker-compose');
  }
}

try {
  ensureDependencies();
  ensureBuild();
  await ensureDatabase();
  await ensureJetStream();
  // Lines that only confirm what is already there are quiet under --quiet; actions always print.
  const docker = (line) => (/engine answers|: present/.test(line) ? note(line) : say(line));
  await ensureDocker(docker);
  await ensureRuntimeImages(docker, { runtimes: allRuntimes ? Object.keys(RUNTIME_RECIPES) : DEFAULT_RUNTIMES });
  ensureComposeTool();
  note('done: `npm start` brings the judge up');
} catch (e) {
  console.error(`setup: ${e instanceof SetupError ? e.message : e?.stack ?? e}`);
  process.exit(1);
}
