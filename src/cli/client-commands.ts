import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { JudgeClient } from '../client/index.js';

const BY_EXTENSION: Record<string, string> = { '.c': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.py': 'python', '.js': 'javascript' };
const FINAL = new Set(['JUDGED', 'FAILED']);
const VIEW = 'id status verdict score maxScore timeMs memoryKb round version stdout compile { success output } tests { index group verdict timeMs memoryKb exitCode signal }';

interface View {
  id: string;
  status: string;
  verdict: string | null;
  score: number | null;
  maxScore: number | null;
  timeMs: number | null;
  memoryKb: number | null;
  stdout: string | null;
  compile: { success: boolean; output: string } | null;
  tests: Array<{ index: number; group: string | null; verdict: string; timeMs: number; memoryKb: number }>;
}

const SHORT: Record<string, string> = {
  ACCEPTED: 'AC',
  WRONG_ANSWER: 'WA',
  TIME_LIMIT_EXCEEDED: 'TLE',
  MEMORY_LIMIT_EXCEEDED: 'MLE',
  OUTPUT_LIMIT_EXCEEDED: 'OLE',
  RUNTIME_ERROR: 'RE',
  COMPILATION_ERROR: 'CE',
  INTERNAL_ERROR: 'IE',
  SKIPPED: '-',
};

const describe = (v: View): string =>
  [
    `${v.status}${v.verdict ? ` ${v.verdict}` : ''}`,
    v.score !== null ? `score ${v.score}/${v.maxScore}` : '',
    v.timeMs !== null ? `${v.timeMs} ms` : '',
    v.memoryKb !== null ? `${v.memoryKb} KiB` : '',
    v.tests.length > 0 ? `tests ${v.tests.map((t) => SHORT[t.verdict] ?? t.verdict).join(' ')}` : '',
  ]
    .filter(Boolean)
    .join(', ');

/**
 * `submit <file>`: submits a source (language from --language or the file's extension) and, with
 * --watch, follows it live over graphql-ws until its verdict; exit 0 if ACCEPTED.
 */
export async function submitFile(
  client: JudgeClient,
  file: string,
  options: { language?: string; problemId?: string; stdinFile?: string; watch: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const language = options.language ?? BY_EXTENSION[extname(file).toLowerCase()];
  if (!language) throw new Error(`cannot tell the language of ${file}; pass --language`);
  const input: Record<string, unknown> = { language, source: await readFile(file, 'utf8') };
  if (options.problemId) input.problemId = options.problemId;
  if (options.stdinFile) input.stdin = await readFile(options.stdinFile, 'utf8');
  const { submit } = await client.request<{ submit: View }>(`mutation ($input: SubmitInput!) { submit(input: $input) { ${VIEW} } }`, { input });
  out.write(`submitted ${submit.id}: ${describe(submit)}\n`);
  if (!options.watch) return 0;
  const ws = createWsClient({
    url: client.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${client.token}` },
    retryAttempts: 3,
  });
  let last: View = submit;
  try {
    for await (const result of ws.iterate<{ submissionUpdated: View }>({
      query: `subscription ($id: ID!) { submissionUpdated(id: $id) { ${VIEW} } }`,
      variables: { id: submit.id },
    })) {
      if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
      last = result.data!.submissionUpdated;
      out.write(`${describe(last)}\n`);
      if (FINAL.has(last.status)) break;
    }
  } finally {
    await ws.dispose();
  }
  if (last.compile && !last.compile.success) out.write(`compiler output:\n${last.compile.output}\n`);
  if (last.stdout !== null && !options.problemId) out.write(`stdout:\n${last.stdout}`);
  return last.verdict === 'ACCEPTED' ? 0 : 1;
}

export async function createKey(client: JudgeClient, tenant: string, role: string, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { createApiKey } = await client.request<{ createApiKey: { token: string; apiKey: { id: string; tenant: string; role: string } } }>(
    'mutation ($tenant: String!, $role: Role!) { createApiKey(tenant: $tenant, role: $role) { token apiKey { id tenant role } } }',
    { tenant, role: role.toUpperCase() },
  );
  out.write(`key ${createApiKey.apiKey.id} (${createApiKey.apiKey.role} for ${createApiKey.apiKey.tenant})\ntoken (shown once): ${createApiKey.token}\n`);
  return 0;
}

export async function revokeKey(client: JudgeClient, id: string, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { revokeApiKey } = await client.request<{ revokeApiKey: { id: string; revokedAt: string } }>(
    'mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
    { id },
  );
  out.write(`key ${revokeApiKey.id} revoked at ${revokeApiKey.revokedAt}\n`);
  return 0;
}
