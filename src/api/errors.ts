import { GraphQLError } from 'graphql';

// The contract's error codes. Anything else that escapes a resolver is reported as
// INTERNAL_SERVER_ERROR without its message (no stack traces or SQL reach a client).
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR';

export const CONTRACT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'RATE_LIMITED',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
]);

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

export function judgeError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
}

export const badInput = (message: string, field?: string): GraphQLError =>
  judgeError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (what: string): GraphQLError => judgeError('NOT_FOUND', `${what} not found`);
