import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../log/index.js';
import { CONTRACT_CODES } from './errors.js';

// Validation and parse errors from graphql itself are the client's mistake.
const CLIENT_CODES: Record<string, string> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
};

/** Maps every error to a contract code; an unexpected one is logged and reported without detail. */
export function formatJudgeError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const raw = String(formatted.extensions?.code ?? '');
    const code = CONTRACT_CODES.has(raw) ? raw : CLIENT_CODES[raw];
    if (code && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _s, http: _h, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    log.error({ err: error, path: formatted.path }, 'internal error in a resolver');
    return { message: 'internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
