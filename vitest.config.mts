import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single one on the 2-core CI machines, where
    // most test time is spent waiting on child processes (the CLI, PostgreSQL) and local servers (Azurite,
    // the stand-ins). Two keep both cores busy; slow tests set their own timeouts for a busy machine.
    maxWorkers: 2,
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
