import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web app's aliases, for its lib tests.
  resolve: { alias: { '@server': path.resolve(import.meta.dirname, 'server/src'), '@common': path.resolve(import.meta.dirname, 'common') } },
  test: {
    include: ['server/src/**/*.test.ts', 'bench/**/*.test.ts', 'web/src/lib/**/*.test.ts', 'common/**/*.test.ts'],
    globalSetup: ['server/src/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
