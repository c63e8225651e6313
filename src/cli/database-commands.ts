import { verifyAudit } from '../audit/index.js';
import { connect, migrateToLatest, type Db } from '../eventstore/index.js';
import { rebuildReadModels } from '../projections/index.js';
import { progressPrinter } from './progress.js';

export async function withDatabase<T>(databaseUrl: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = connect(databaseUrl, 4);
  try {
    await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** `audit verify`: exit code 0 when the log and the read models agree, 1 otherwise. */
export async function auditVerify(db: Db, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const chains = progressPrinter('hash chains');
  const replay = progressPrinter('replay');
  const report = await verifyAudit(db, (stage, n) => (stage === 'hash-chains' ? chains : replay).tick(n));
  chains.done(report.events);
  replay.done(report.replayedEvents);
  const lines = [
    `events: ${report.events} in ${report.streams} streams`,
    `hash chains: ${report.chainBreaks.length === 0 ? 'intact' : `${report.chainBreaks.length} broken`}`,
    ...report.chainBreaks.map((b) => `  BROKEN ${b.streamId} version ${b.version} (event ${b.eventId}): ${b.reason}`),
    `read models: ${report.rowsCompared} rows compared with a replay of ${report.replayedEvents} events, ${report.mismatches.length} mismatched`,
    ...report.mismatches.map((m) => `  MISMATCH ${m.table} ${m.id}: ${m.kind}`),
    report.ok ? 'audit: OK' : 'audit: FAILED',
  ];
  out.write(`${lines.join('\n')}\n`);
  return report.ok ? 0 : 1;
}

/** `projections rebuild`: rebuilds the read models from position zero, judge running or not. */
export async function projectionsRebuild(db: Db, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const progress = progressPrinter('rebuild');
  const { events } = await rebuildReadModels(db, (n) => progress.tick(n));
  progress.done(events);
  out.write(`rebuilt the read models from ${events} events\n`);
  return 0;
}
