import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A small GraphQL-over-HTTP client for the CLI's commands that talk to a running judge. */
export interface JudgeClient {
  url: string;
  /** the bearer token, also for graphql-ws */
  token: string;
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export class JudgeRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(code ? `${message} (${code})` : message);
    this.name = 'JudgeRequestError';
  }
}

/**
 * The judge's address and token: JUDGE_URL (default the local judge) and JUDGE_TOKEN, else the
 * admin token (JUDGE_ADMIN_TOKEN, or the file the judge generated it into).
 */
export function clientFromEnvironment(env: Record<string, string | undefined>): JudgeClient {
  const url = env.JUDGE_URL || `http://127.0.0.1:${env.PORT || 4000}/graphql`;
  let token = env.JUDGE_TOKEN || env.JUDGE_ADMIN_TOKEN;
  if (!token) {
    const file = resolve(env.JUDGE_ADMIN_TOKEN_FILE || '.judge/admin-token');
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch {
      throw new Error(`no token: set JUDGE_TOKEN (or JUDGE_ADMIN_TOKEN), or run where ${file} exists`);
    }
  }
  return createClient(url, token);
}

export function createClient(url: string, token: string): JudgeClient {
  return {
    url,
    token,
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
      } catch (e) {
        throw new Error(`cannot reach the judge at ${url} (${e instanceof Error ? e.message : String(e)}); is it running? (npm start)`);
      }
      const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
      const error = body.errors?.[0];
      if (error) throw new JudgeRequestError(error.message, error.extensions?.code);
      if (!body.data) throw new JudgeRequestError(`HTTP ${res.status} without data`, undefined);
      return body.data;
    },
  };
}
