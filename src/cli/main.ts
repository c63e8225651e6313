import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { ConfigError, parseConfig } from '../config/index.js';
import { clientFromEnvironment } from '../client/index.js';
import { auditVerify, projectionsRebuild, withDatabase } from './database-commands.js';
import { createKey, revokeKey, submitFile } from './client-commands.js';
import { problemImport } from './problem-commands.js';

class UsageError extends Error {}

// The operator's command line: `npm run judge -- <command>`. Database commands use
// DATABASE_URL; client commands talk to a running judge over GraphQL.

const HELP = `usage: npm run judge -- <command> [options]

commands:
  audit verify          verify every event's hash chain, replay the log into scratch tables and
                        compare them row by row with the live read models; exit 1 on any mismatch
  projections rebuild   rebuild the read models from position zero (safe while the judge runs)
  problem import <dir|zip> [--time-limit <seconds>] [--verify]
                        create a problem from an ICPC problem package; with --verify, judge every
                        file under submissions/<verdict>/ and check it gets that verdict
  submit <file> [--language <id>] [--problem <id>] [--stdin <file>] [--watch]
                        submit a source; with --watch, follow it live until its verdict
                        (exit 0 if ACCEPTED)
  keys create <tenant> <ADMIN|SUBMITTER|VIEWER>
                        create an API key; its token is printed once
  keys revoke <id>      revoke an API key (its open subscriptions end)
  help                  this text

environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/judge) for audit and
projections; JUDGE_URL (default http://127.0.0.1:4000/graphql) and JUDGE_TOKEN (default the
admin token: JUDGE_ADMIN_TOKEN or .judge/admin-token) for commands that talk to the judge`;

export async function runCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      verify: { type: 'boolean' },
      watch: { type: 'boolean' },
      'time-limit': { type: 'string' },
      language: { type: 'string' },
      problem: { type: 'string' },
      stdin: { type: 'string' },
    },
  });
  const [command, sub] = positionals;
  if (values.help || !command || command === 'help') {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  const config = parseConfig(process.env, availableParallelism());
  if (command === 'submit') {
    if (!sub) throw new UsageError('submit needs a source file');
    return submitFile(clientFromEnvironment(process.env), sub, {
      language: values.language,
      problemId: values.problem,
      stdinFile: values.stdin,
      watch: values.watch === true,
    });
  }
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'audit verify':
      return withDatabase(config.databaseUrl, (db) => auditVerify(db));
    case 'projections rebuild':
      return withDatabase(config.databaseUrl, (db) => projectionsRebuild(db));
    case 'problem import': {
      const path = positionals[2];
      if (!path) throw new UsageError('problem import needs a package folder or .zip');
      const limit = values['time-limit'];
      const timeLimitSeconds = limit === undefined ? undefined : Number(limit);
      if (timeLimitSeconds !== undefined && !(timeLimitSeconds > 0)) throw new UsageError('--time-limit takes seconds, e.g. 1.5');
      return problemImport(clientFromEnvironment(process.env), path, { timeLimitSeconds, verify: values.verify === true });
    }
    case 'keys create': {
      const [, , tenant, role] = positionals;
      if (!tenant || !role) throw new UsageError('keys create needs a tenant and a role');
      return createKey(clientFromEnvironment(process.env), tenant, role);
    }
    case 'keys revoke': {
      const id = positionals[2];
      if (!id) throw new UsageError('keys revoke needs a key id');
      return revokeKey(clientFromEnvironment(process.env), id);
    }
    default:
      console.error(`judge: unknown command "${positionals.join(' ')}"\n\n${HELP}`);
      return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const usage = err instanceof ConfigError || err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      console.error(`judge: ${err instanceof ConfigError ? `bad configuration: ${err.message}` : err instanceof Error ? err.message : String(err)}`);
      process.exit(usage ? 2 : 1);
    },
  );
}
