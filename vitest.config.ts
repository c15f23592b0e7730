import { defineConfig } from 'vitest/config';

/**
 * One `vitest run` runs everything: unit tests beside the code (src/**), integration tests
 * (test/**) and browser tests (test/e2e/**). Each test file gets its own fresh database
 * (test/helpers/db.ts), so files run in parallel; the engine is SQLite unless DATABASE_URL
 * points at a PostgreSQL server.
 *
 * EGOV_TEST_JSON=path adds vitest's JSON reporter writing to that file (used by .ci/run to
 * count results); the default console reporter stays.
 */
const jsonOutput = process.env.EGOV_TEST_JSON;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'data/**', 'test-results/**'],
    environment: 'node',
    // Child processes, not threads: native modules (better-sqlite3) and Chromium children
    // behave best in their own process, and a crash takes down one file, not the run.
    pool: 'forks',
    // Two cores here; browser tests start a Chromium each, so more workers only thrash.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    reporters: jsonOutput ? ['default', ['json', { outputFile: jsonOutput }]] : ['default'],
  },
});
