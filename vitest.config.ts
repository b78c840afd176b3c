import { defineConfig } from 'vitest/config';

// Two projects: server-side tests (pure tables, modules through HTTP on a real database) and
// end-to-end journeys in a real browser. scripts/test.mjs runs them on SQLite and PostgreSQL.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['src/web/**', 'node_modules/**'],
          environment: 'node',
          pool: 'forks',
          // a worker keeps the modules it loaded from one file to the next: each file builds its own
          // app, database and clock, and loading the server again for each of seventy files took about
          // a fifth of a pass
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // on CI (two database passes at once on a shared machine) a failed test is tried once more;
          // scripts/retried-reporter.mjs names every test that needed it at the end of the run
          retry: process.env.CI ? 1 : 0,
        },
      },
      {
        test: {
          name: 'web',
          include: ['src/web/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          globalSetup: ['e2e/support/setup.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
