import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { ConfigError, parseConfig } from '../config/index.js';
import { auditVerify, projectionsRebuild, withDatabase } from './database-commands.js';

// The operator's command line: `npm run judge -- <command>`. Database commands use
// DATABASE_URL; client commands talk to a running judge over GraphQL.

const HELP = `usage: npm run judge -- <command> [options]

commands:
  audit verify          verify every event's hash chain, replay the log into scratch tables and
                        compare them row by row with the live read models; exit 1 on any mismatch
  projections rebuild   rebuild the read models from position zero (safe while the judge runs)
  help                  this text

environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/judge)`;

export async function runCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  const [command, sub] = positionals;
  if (values.help || !command || command === 'help') {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  const config = parseConfig(process.env, availableParallelism());
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'audit verify':
      return withDatabase(config.databaseUrl, (db) => auditVerify(db));
    case 'projections rebuild':
      return withDatabase(config.databaseUrl, (db) => projectionsRebuild(db));
    default:
      console.error(`judge: unknown command "${positionals.join(' ')}"\n\n${HELP}`);
      return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`judge: ${err instanceof ConfigError ? `bad configuration: ${err.message}` : err instanceof Error ? err.message : String(err)}`);
      process.exit(err instanceof ConfigError ? 2 : 1);
    },
  );
}
