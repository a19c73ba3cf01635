import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // PGlite and Chromium start in seconds, not milliseconds.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: two test files at a time keeps PGlite and Chromium from starving each other.
    maxWorkers: 2,
    // Tests never read DATABASE_URL: a test can never touch a database somebody uses.
    env: { DATABASE_URL: '' },
  },
});
