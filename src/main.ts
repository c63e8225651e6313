import { availableParallelism } from 'node:os';
import { ConfigError, parseConfig, resolveAdminToken } from './config/index.js';
import { createLogger } from './log/index.js';
import { startJudge } from './judge.js';

// The process entry: `npm start`. Roles come from JUDGE_ROLES (default: all in one process).

let config;
try {
  config = parseConfig(process.env, availableParallelism());
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`judge: bad configuration: ${e.message}`);
    process.exit(2);
  }
  throw e;
}

const log = createLogger(config.logLevel);
const admin = resolveAdminToken(config.adminToken, config.adminTokenFile);
if (admin.generatedAt) log.info({ file: admin.generatedAt }, 'generated an admin token (JUDGE_ADMIN_TOKEN was unset); it is kept in this file');
else if (admin.storedIn) log.info({ file: admin.storedIn }, 'using the admin token kept in this file');

const judge = await startJudge(config, admin.token, log).catch((err: unknown) => {
  log.fatal({ err }, 'could not start');
  process.exit(1);
});
log.info({ roles: [...config.roles], port: judge.port, namespace: config.namespace }, 'judge started');

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // Never hang: a stuck dependency must not keep the process alive past 30 s.
  setTimeout(() => process.exit(1), 30_000).unref();
  void judge.stop().then(() => process.exit(process.exitCode ?? 0));
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
