import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { projectFile } from '../config/index.js';
import { resolvers } from './resolvers.js';

// schema.graphql at the project root is the single source of the API's shape; the contract
// check compares it with the public contract.
export function buildJudgeSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: readFileSync(projectFile('schema.graphql'), 'utf8'), resolvers });
}
