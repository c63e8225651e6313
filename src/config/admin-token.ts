import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The admin token: JUDGE_ADMIN_TOKEN when set; otherwise one generated on the first start and
 * kept (mode 0600, in a git-ignored folder) so later starts and the operator's tools agree.
 */
export function resolveAdminToken(
  configured: string | undefined,
  file: string,
): { token: string; generatedAt?: string; storedIn?: string } {
  if (configured) return { token: configured };
  const path = resolve(file);
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 16) return { token, storedIn: path };
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return { token, generatedAt: path, storedIn: path };
}
