import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file at the project root (schema.graphql, migrations/), found by walking up from this
 * module: the same code runs from src/ under vitest and tsx, and from dist/src/ when built.
 */
export function projectFile(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root (package.json) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return join(dir, name);
}
