import { defineConfig } from 'vitest/config';

/**
 * One vitest run covers every package. Suites that need PostgreSQL or Chromium skip locally with a
 * one-line reason when the service is missing, and fail instead under MESHBOARD_TEST_STRICT=1 (CI).
 */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
