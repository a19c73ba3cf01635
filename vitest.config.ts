import { defineConfig } from 'vitest/config';
import { WAIT_MS } from './tests/helpers/patience.ts';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // The fast tests keep vitest's 30 s. Files that start processes or browsers set their own,
    // longer timeouts (tests/helpers/patience.ts), where they are needed.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A poll waits for a state: it returns as soon as the state is there, so its bound is sized
    // for a slow day (the default, 1 s, is not).
    expect: { poll: { timeout: WAIT_MS, interval: 50 } },
    pool: 'forks',
    // Two cores: two test files at a time keeps PGlite and Chromium from starving each other.
    maxWorkers: 2,
    // Tests never read DATABASE_URL: a test can never touch a database somebody uses.
    env: { DATABASE_URL: '' },
  },
});
