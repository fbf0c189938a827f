import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests start the real binary; the curl lab waits for real timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
