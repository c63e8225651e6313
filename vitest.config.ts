import { defineConfig } from 'vitest/config';

// Tiers by file name: *.unit.test.ts are pure; *.int.test.ts and *.e2e.test.ts talk to the real
// Postgres, NATS and Docker, so they get longer timeouts and run two files at a time (2 cores).
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['test/**/*.unit.test.ts'] } },
      {
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
