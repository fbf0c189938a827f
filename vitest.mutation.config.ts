import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (npm run mutation): the ones that exercise src/model, src/world,
// src/probe and src/suite in this process. Tests that start the CLI as a child process, or need root and network namespaces,
// cannot see a mutant (it is switched on inside this process only) and would only add time.
export default defineConfig({
  test: {
    // The model's own tests: each runs in milliseconds, so a mutant costs seconds. The conformance pack, the runner's
    // whole-suite runs and the fuzzed loader cover the same code at minutes per mutant; they run in npm test.
    include: [
      'test/model/**/*.test.ts',
      'test/world/**/*.test.ts',
      'test/probe/probe-command.test.ts',
      'test/probe/classify.test.ts',
      'test/probe/outcome.test.ts',
      'test/suite/load-errors.test.ts',
      'test/suite/input-validation.test.ts',
      'test/suite/discover.test.ts',
      'test/results/known-divergences.test.ts',
      'test/suite/load-shape.test.ts',
    ],
    testTimeout: 60_000,
  },
});
