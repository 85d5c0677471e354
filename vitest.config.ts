import { configDefaults, defineConfig } from 'vitest/config';

// The server's own zone must never matter: tests run far from UTC and from the orgs' zones.
process.env.TZ = 'Pacific/Chatham';

/**
 * Tests that measure a whole server process (its peak memory through a hostile file, another
 * org's latency beside a large import). They run on their own after the rest
 * (`vitest.measuring.config.ts`, the last step of `npm test`): beside the suite's other files on
 * two cores, garbage collection and the scheduler fall behind, and what they measure moves with
 * the machine's load instead of the code.
 */
export const MEASURING_TESTS = ['test/security/hostile-files.test.ts', 'test/security/import-jobs.test.ts'];

/** The suite's settings, for the tests `include` names, less those `exclude` names. */
export function suiteConfig(include: string[], exclude: string[], fileParallelism = true) {
  return defineConfig({
    resolve: {
      // graphql ships CJS and ESM builds; type-graphql and Apollo load the CJS one under Node,
      // so tests must too, or schema objects come from "another realm".
      alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
    },
    test: {
      include,
      exclude: [...configDefaults.exclude, ...exclude],
      fileParallelism,
      globalSetup: ['test/support/global-setup.ts'],
      pool: 'forks',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      env: { TZ: 'Pacific/Chatham' },
    },
  });
}

export default suiteConfig(['test/**/*.test.ts'], MEASURING_TESTS);
