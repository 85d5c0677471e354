import { defineConfig } from 'vitest/config';

// The server's own zone must never matter: tests run far from UTC and from the orgs' zones.
process.env.TZ = 'Pacific/Chatham';

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM builds; type-graphql and Apollo load the CJS one under Node,
    // so tests must too, or schema objects come from "another realm".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: 'Pacific/Chatham' },
  },
});
