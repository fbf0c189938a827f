// Every suite, one vitest test per step, on the backend the global setup chose: the model by default, the kind
// cluster with NETPOL_E2E_BACKEND=kind. A failing step shows its matrix with expected and observed cells.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClusterBackend } from '../../src/backends/backend.ts';
import { openClusterBackend } from '../../src/backends/kube/cluster-target.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { runEnvironment } from '../../src/cli/environment.ts';
import { inert, junitName } from '../../src/report/inert.ts';
import { writeResults } from '../../src/report/json.ts';
import { renderStep } from '../../src/report/terminal.ts';
import { markKnownInStep } from '../../src/results/known.ts';
import type { SuiteResult } from '../../src/results/result.ts';
import { knownDivergencesFor } from '../../src/results/known-divergences.ts';
import { contradictions, predictSuite } from '../../src/runner/predict.ts';
import { KeptApps } from '../../src/runner/kept-apps.ts';
import { LeftBehind } from '../../src/runner/left-behind.ts';
import { SuiteRun } from '../../src/runner/run-suite.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { REPO } from '../support/fixture.ts';

const choice = inject('suiteBackend');
// NETPOL_E2E_SUITES: another folder of suites (the tests of hostile names run this project on theirs).
const suites = await Promise.all((await discoverSuites([process.env.NETPOL_E2E_SUITES ?? path.join(REPO, 'suites')])).map((file) => loadSuite(file)));
// The global setup brought the cluster up: opening it checks the same things the CLI does.
const cluster: ClusterBackend | undefined =
  choice.backend === 'model'
    ? undefined
    : await openClusterBackend(choice.backend === 'kind' ? { backend: 'kind' } : { backend: 'context', context: choice.context }, suites, { offlineFqdn: process.env.NETPOL_E2E_OFFLINE_FQDN === '1' });
// As the CLI does: on a cluster, suites with the same apps share one deployment of them.
const keptApps = cluster && new KeptApps();
// Known divergences (known-divergences.yaml, or NETPOL_E2E_KNOWN) on this cluster's versions pass as known.
const environment = await runEnvironment(choice.backend, cluster);
const known = await knownDivergencesFor(process.env.NETPOL_E2E_KNOWN, REPO);
const done: SuiteResult[] = [];
afterAll(async () => {
  const left = new LeftBehind();
  if (cluster) await keptApps?.release(cluster, left);
  if (left.entries.length) throw new Error(left.since(0));
  // NETPOL_E2E_RESULTS: the results file of this run, as `run --json` writes it (for netpol-e2e compare across versions).
  if (process.env.NETPOL_E2E_RESULTS) await writeResults(process.env.NETPOL_E2E_RESULTS, environment, done);
});

for (const suite of suites) {
  describe.sequential(junitName(`${suite.name} [${cluster?.name ?? 'model'}]`), () => {
    let run: SuiteRun;
    let finished = false;
    beforeAll(async () => {
      const predictions = await predictSuite(suite);
      // A suite the model contradicts never reaches a cluster.
      expect(contradictions(suite, predictions)).toEqual([]);
      run = new SuiteRun(suite, cluster ?? new ModelBackend(suite.world), predictions, { keptApps });
    });
    // Cleanup runs even when a step fails or the run is cut short.
    afterAll(async () => {
      if (run && !finished) await run.finish();
    });

    for (const [i, step] of suite.steps.entries()) {
      it(junitName(`step ${i + 1}: ${step.name}`), async (ctx) => {
        const result = await run.next();
        expect(result, `step ${i + 1} did not run`).toBeDefined();
        markKnownInStep(suite.name, result!, environment, known);
        // Cells this backend cannot run are named in the report (JUnit: an annotation, or a skip for a whole step).
        const notRunnable = result!.cells.filter((c) => c.notRunnable);
        for (const c of notRunnable) await ctx.annotate(junitName(`not runnable here: ${c.from} -> ${c.to}: ${c.notRunnable}`), 'notice');
        // The workflows point this at the GitHub step summary: every matrix, as the run saw it, fenced as code there; the
        // suite's name, inert, follows a mark of ours, so that no name starts a line (and closes the fence).
        if (process.env.NETPOL_E2E_SUMMARY) await appendFile(process.env.NETPOL_E2E_SUMMARY, `━━ ${inert(suite.name)}\n${renderStep(result!)}\n\n`);
        const failed = result!.cells.filter((c) => !c.pass);
        if (failed.length) expect.fail(`${failed.length} cell(s) failed in ${suite.file}\n${renderStep(result!)}`);
        if (notRunnable.length && notRunnable.length === result!.cells.length) ctx.skip(junitName(`no cell of this step can run here: ${notRunnable[0]!.notRunnable}`));
      });
    }

    it('cleans up, and every deny is proven by a connection from the same source', async () => {
      finished = true;
      const result = await run.finish();
      done.push(result);
      expect(result.error).toBeUndefined();
      const unproven = result.steps.flatMap((s) => s.cells.filter((c) => c.unproven).map((c) => `step ${s.index + 1}: ${c.from} -> ${c.to}: ${c.unproven}`));
      expect(unproven).toEqual([]);
    });
  });
}
