import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// NETPOL_E2E_BACKEND=kind runs the suites project against the kind cluster (brought up once by its global setup).
const onCluster = (process.env.NETPOL_E2E_BACKEND ?? 'model') !== 'model';
// The lab (test/lab): tests of real programs beyond Node, most in network namespaces of their own, so as root with the
// packages .ci/run installs. `npm run test:lab` sets NETPOL_E2E_LAB=1 and runs only it; `npm test` has no lab project,
// so that it needs nothing but Node, also as `npm test -- --project suites`.
const lab = process.env.NETPOL_E2E_LAB === '1';
const BUILD = 'test/support/build-setup.ts';
// Files that replace a module (vi.mock) run with a module cache of their own; the other unit files share their
// worker's (below).
const MOCKING = ['test/input/yaml-linear.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', 'junit'],
    outputFile: { junit: 'results/junit.xml' },
    // Some tests start real processes (the binary, npm, scripts); the curl lab waits for real timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Reports rendered in-process colour themselves as picocolors decides at import: on a CI runner (CI set) or a
    // terminal it adds SGR codes, which the checks of raw control characters would take for a hostile string's.
    env: { NO_COLOR: '1' },
    globalSetup: ['test/support/temp-root.ts'],
    // vi.stubEnv's changes end with their test, so that no file sees another's in a shared worker.
    unstubEnvs: true,
    // Most test files wait on the processes they start (the CLI, npm, stand-ins): one worker more than the cores keeps
    // them busy, where vitest's default of one fewer ran a single worker on 2 cores (npm test: 336 s there, 231 s so).
    // The lab keeps the default: its real programs wait on real timeouts, which a busier machine could stretch.
    ...(lab ? {} : { maxWorkers: availableParallelism() + 1 }),
    projects: [
      // The tests that start bin/netpol-e2e.js (unit and lab) run the build: brought up to date once per run.
      // The unit files share their worker's module cache (isolate: false): the sources are imported once per worker, not
      // once per file (import time summed over the files: 97 s isolated, 17 s shared; npm test here 210 s, 146 s).
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/lab/**', ...MOCKING], isolate: false, globalSetup: [BUILD] } },
      { extends: true, test: { name: 'unit-mocking', include: MOCKING, globalSetup: [BUILD] } },
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
      ...(lab ? [{ extends: true as const, test: { name: 'lab', include: ['test/lab/**/*.test.ts'], globalSetup: [BUILD] } }] : []),
    ],
  },
});
