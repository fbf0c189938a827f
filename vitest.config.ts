import { defineConfig } from 'vitest/config';

// NETPOL_E2E_BACKEND=kind runs the suites project against the kind cluster (brought up once by its global setup).
const onCluster = (process.env.NETPOL_E2E_BACKEND ?? 'model') !== 'model';

export default defineConfig({
  test: {
    reporters: ['default', 'junit'],
    outputFile: { junit: 'results/junit.xml' },
    // CLI tests start the real binary; the curl lab waits for real timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] } },
      {
        extends: true,
        test: {
          name: 'suites',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // On a cluster a step waits for rollouts and policy revisions; cluster:up itself runs in the global setup.
          testTimeout: onCluster ? 600_000 : 60_000,
          hookTimeout: onCluster ? 1_800_000 : 60_000,
        },
      },
    ],
  },
});
