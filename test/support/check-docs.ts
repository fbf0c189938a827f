// A tutorial's suite run on one backend (the model by default) and its claims judged, for tests that check the
// reading and the verdicts of one tutorial; `docs check` itself runs its suites through the run session.
import type { ClusterBackend } from '../../src/backends/backend.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite, type RunOptions } from '../../src/runner/run-suite.ts';
import type { Suite } from '../../src/suite/types.ts';
import { judgeClaims, type DocsCheck } from '../../src/tutorials/check/check.ts';
import type { Extraction } from '../../src/tutorials/extract/extract.ts';

export async function checkDocs(x: Extraction, suite: Suite, backend?: ClusterBackend, options: RunOptions = {}, verdicts: { allowNoClaims?: boolean } = {}): Promise<DocsCheck> {
  const predictions = await predictSuite(suite);
  return judgeClaims(x, await runSuite(suite, backend ?? new ModelBackend(suite.world), predictions, options), verdicts);
}
