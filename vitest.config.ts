import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    // The browser tests share one Chromium, launched by their project's global setup only when they run.
    projects: [
      { extends: true, test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/web/**'] } },
      { extends: true, test: { name: 'web', include: ['tests/web/**/*.test.ts'], globalSetup: ['tests/web/global-setup.ts'] } },
    ],
  },
});
