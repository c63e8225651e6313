import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers.js';

// schema.graphql at the project root is the single source of the API's shape; the contract
// check compares it with the public contract.
function schemaFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'schema.graphql'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('schema.graphql not found above the api module');
    dir = parent;
  }
  return join(dir, 'schema.graphql');
}

export function buildJudgeSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: readFileSync(schemaFile(), 'utf8'), resolvers });
}
