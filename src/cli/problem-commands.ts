import type { JudgeClient } from '../client/index.js';
import { importPackage, verifyPackage } from '../problem-packages/index.js';

/** `problem import <dir|zip> [--time-limit s] [--verify]`: exit 1 if any verification disagrees. */
export async function problemImport(
  client: JudgeClient,
  path: string,
  options: { timeLimitSeconds?: number; verify: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const { problemId, parsed } = await importPackage(client, path, { timeLimitSeconds: options.timeLimitSeconds });
  const { problem } = parsed;
  const groups = (problem.groups ?? []).map((g) => `${g.name} (${g.points} pts, ${problem.tests.filter((t) => t.group === g.name).length} tests)`);
  out.write(`imported "${problem.title}" as problem ${problemId}: ${problem.tests.length} tests; groups ${groups.join(', ')}\n`);
  for (const note of parsed.notes) out.write(`note: ${note}\n`);
  if (!options.verify) return 0;
  if (parsed.submissions.length === 0) {
    out.write('verify: the package has no submissions/ to judge\n');
    return 0;
  }
  out.write(`verify: judging ${parsed.submissions.length} submissions\n`);
  const results = await verifyPackage(client, problemId, parsed.submissions, (r) =>
    out.write(`${r.ok ? 'OK  ' : 'FAIL'} ${r.submission.path}: ${r.verdict}${r.ok ? '' : ` (expected ${r.submission.expected})`}\n`),
  );
  const failed = results.filter((r) => !r.ok).length;
  out.write(`verify: ${results.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
