import { Kysely, PostgresDialect, type ColumnType, type Generated } from 'kysely';
import pg from 'pg';

// Postgres returns bigint and xid8 as strings; we keep them as strings (exact, JSON-safe).

export interface EventsTable {
  position: Generated<string>;
  transaction_id: Generated<string>;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: ColumnType<number, number | undefined, never>;
  data: ColumnType<unknown, string, never>;
  metadata: ColumnType<Record<string, unknown>, string | undefined, never>;
  hash: string;
  recorded_at: Generated<Date>;
}

export interface CheckpointsTable {
  name: string;
  transaction_id: string;
  position: string;
  updated_at: Generated<Date>;
}

export interface SubmissionsTable {
  id: string;
  tenant: string;
  language: string;
  problem_id: string | null;
  status: string;
  verdict: string | null;
  round: number;
  version: number;
  created_at: ColumnType<Date, string, string>;
  judged_at: ColumnType<Date | null, string | null, string | null>;
  state: ColumnType<unknown, string, string>;
}

export interface LanguagesTable {
  id: string;
  name: string;
  version: string;
  compiled: boolean;
  source_file_name: string;
  seen_at: Generated<Date>;
}

export interface BlobsTable {
  hash: string;
  size: number;
  content: Buffer;
  created_at: Generated<Date>;
}

export interface ProblemsTable {
  id: string;
  title: string;
  version: number;
  test_count: number;
  created_at: ColumnType<Date, string, string>;
  state: ColumnType<unknown, string, string>;
}

export interface ApiKeysTable {
  id: string;
  tenant: string;
  role: string;
  token_hash: string;
  created_at: ColumnType<Date, string, string>;
  revoked_at: ColumnType<Date | null, string | null, string | null>;
}

export interface Database {
  api_keys: ApiKeysTable;
  blobs: BlobsTable;
  problems: ProblemsTable;
  events: EventsTable;
  checkpoints: CheckpointsTable;
  submissions: SubmissionsTable;
  languages: LanguagesTable;
}

export type Db = Kysely<Database>;

export function connect(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle client that loses its server (Postgres restarted) must not crash the process.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
