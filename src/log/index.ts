import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Secrets (tokens, authorization headers) are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
  });
}
