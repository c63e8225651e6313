import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Tiers by file name: *.unit.test.ts are pure; *.int.test.ts and *.e2e.test.ts talk to the real
// Postgres, NATS and Docker, so they get longer timeouts and run two files at a time (2 cores).
export default defineConfig({
  // One graphql for everything, as under plain Node: the dependencies load graphql's CommonJS
  // build, and vite would otherwise give our own code its ESM build (two graphql "realms").
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.unit.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Languages whose images are built on request (java, go, rust): `npm run test:runtimes`.
        extends: true,
        test: { name: 'runtimes', include: ['test/runtimes/**/*.runtimes.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 },
      },
      {
        // Stops and starts the real Postgres, NATS and Docker: run alone, one file at a time.
        extends: true,
        test: {
          name: 'faults',
          include: ['test/faults/**/*.fault.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
