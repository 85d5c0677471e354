import { defineConfig } from 'vitest/config';

// The server's own zone must never matter: tests run far from UTC and from the orgs' zones.
process.env.TZ = 'Pacific/Chatham';

/**
 * Tests that measure a whole process (its peak memory, another org's latency beside a large
 * import): they run after every other file, one at a time, so the rest of the suite does not
 * share the machine's two cores with what they measure.
 */
const MEASURING = ['test/security/hostile-files.test.ts', 'test/security/import-jobs.test.ts'];

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM builds; type-graphql and Apollo load the CJS one under Node,
    // so tests must too, or schema objects come from "another realm".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: 'Pacific/Chatham' },
    projects: [
      { extends: true, test: { name: 'end-to-end', include: ['test/**/*.test.ts'], exclude: MEASURING, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'measuring', include: MEASURING, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
