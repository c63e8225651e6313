import type { JudgeClient } from '../client/index.js';
import { parsePackage, type PackageSubmission, type ParsedPackage } from './parse-package.js';
import { readPackageFiles } from './read-files.js';

export interface ImportResult {
  problemId: string;
  parsed: ParsedPackage;
}

/** Reads a package (folder or .zip) and creates its problem on the judge. */
export async function importPackage(client: JudgeClient, path: string, options: { timeLimitSeconds?: number } = {}): Promise<ImportResult> {
  const parsed = parsePackage(await readPackageFiles(path), options);
  const data = await client.request<{ createProblem: { id: string } }>(
    'mutation ($input: CreateProblemInput!) { createProblem(input: $input) { id } }',
    { input: parsed.problem },
  );
  return { problemId: data.createProblem.id, parsed };
}

export interface VerifyResult {
  submission: PackageSubmission;
  id: string;
  verdict: string;
  ok: boolean;
}

const FINAL = new Set(['JUDGED', 'FAILED']);

/**
 * Judges every submission of the package against the imported problem and compares each
 * verdict with the one its folder names, as problemtools' verifyproblem does.
 */
export async function verifyPackage(
  client: JudgeClient,
  problemId: string,
  submissions: readonly PackageSubmission[],
  onResult?: (r: VerifyResult) => void,
  timeoutMs = 5 * 60_000,
): Promise<VerifyResult[]> {
  const submitted = [];
  for (const s of submissions) {
    const data = await client.request<{ submit: { id: string } }>('mutation ($input: SubmitInput!) { submit(input: $input) { id } }', {
      input: { problemId, language: s.language, source: s.source },
    });
    submitted.push({ submission: s, id: data.submit.id });
  }
  const results: VerifyResult[] = [];
  const deadline = Date.now() + timeoutMs;
  for (const { submission, id } of submitted) {
    for (;;) {
      const data = await client.request<{ submission: { status: string; verdict: string | null } }>(
        'query ($id: ID!) { submission(id: $id) { status verdict } }',
        { id },
      );
      if (FINAL.has(data.submission.status)) {
        const verdict = data.submission.verdict ?? 'INTERNAL_ERROR';
        const result = { submission, id, verdict, ok: verdict === submission.expected };
        results.push(result);
        onResult?.(result);
        break;
      }
      if (Date.now() > deadline) throw new Error(`${submission.path}: not judged within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return results;
}
