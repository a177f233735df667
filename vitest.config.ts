import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: a single worker on CI's two. The tests
    // spend much of their time waiting for the git and node processes they start, so two workers
    // keep both cores busy.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
