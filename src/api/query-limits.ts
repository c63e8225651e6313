import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';

// Limits on the shape of a query, the same over HTTP and graphql-ws (graphql-armor's rules):
// a page of submissions with their tests and events is well within them; a query built to
// make the server do unbounded work is not.
// The deepest real query of this schema nests 6 levels (submissions → edges → node → problem →
// limits → timeMs); introspection, which tools need and nests deeper, is left to the other rules.
// A full page of 100 submissions with every field (tests, events, problem) costs about 29,000.
export const QUERY_LIMITS = { depth: 8, aliases: 15, directives: 20, cost: 50_000, tokens: 5_000 } as const;

// Report through validation (the client gets BAD_USER_INPUT) rather than throw from inside it.
const report = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export const queryLimitRules: ValidationRule[] = [
  maxDepthRule({ n: QUERY_LIMITS.depth, ...report }),
  maxAliasesRule({ n: QUERY_LIMITS.aliases, ...report }),
  maxDirectivesRule({ n: QUERY_LIMITS.directives, ...report }),
  costLimitRule({ maxCost: QUERY_LIMITS.cost, ...report }),
];

/** graphql-ws's validate hook: the standard rules plus the limits, errors marked BAD_USER_INPUT. */
export const validateWithLimits: typeof validate = (schema: GraphQLSchema, document: DocumentNode) =>
  validate(schema, document, [...specifiedRules, ...queryLimitRules]).map(
    (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } }),
  );
