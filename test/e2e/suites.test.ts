// Every suite, one vitest test per step, on the backend the global setup chose: the model by default, the kind
// cluster with NETPOL_E2E_BACKEND=kind. A failing step shows its matrix with expected and observed cells. The run is
// the CLI's run session, step by step; only its options are read from the environment here.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { jsonReporter, stepMatricesReporter } from '../../src/report/file-reporters.ts';
import { junitName } from '../../src/report/inert.ts';
import { processIo } from '../../src/report/io.ts';
import { renderStep } from '../../src/report/terminal.ts';
import { Session, type SuiteSession } from '../../src/session/session.ts';
import { REPO } from '../support/fixture.ts';

const choice = inject('suiteBackend');
const { env } = process;
const session = await Session.open(
  {
    // NETPOL_E2E_SUITES: another folder of suites (the tests of hostile names run this project on theirs).
    suites: [env.NETPOL_E2E_SUITES ?? path.join(REPO, 'suites')],
    // The global setup brought the cluster up: opening it checks the same things the CLI does.
    backend: choice.backend,
    context: choice.context,
    offlineFqdn: env.NETPOL_E2E_OFFLINE_FQDN === '1',
    // Known divergences (known-divergences.yaml, or NETPOL_E2E_KNOWN) on this cluster's versions pass as known.
    known: { file: env.NETPOL_E2E_KNOWN, dir: REPO },
    preflight: true,
  },
  // Vitest stops the tests itself: the session listens to no signal of the process.
  { ...processIo(), signal: new AbortController().signal },
  [
    // NETPOL_E2E_RESULTS: the results file of this run, as `run --json` writes it (for netpol-e2e compare across versions).
    ...(env.NETPOL_E2E_RESULTS ? [jsonReporter(env.NETPOL_E2E_RESULTS)] : []),
    // NETPOL_E2E_SUMMARY: the workflows point this at the GitHub step summary: every matrix, as the run saw it.
    ...(env.NETPOL_E2E_SUMMARY ? [stepMatricesReporter(env.NETPOL_E2E_SUMMARY)] : []),
  ],
);

afterAll(async () => {
  // What the suites' own cleanups left is in their errors already; what releasing the shared apps left is told here.
  const mark = session.leftBehind.entries.length;
  await session.close();
  if (session.leftBehind.entries.length > mark) throw new Error(session.leftBehind.since(mark));
  await session.end();
});

for (const [index, { suite, contradicted }] of session.suites.entries()) {
  describe.sequential(junitName(`${suite.name} [${session.backendName}]`), () => {
    let run: SuiteSession;
    let finished = false;
    beforeAll(() => {
      // A suite the model contradicts never reaches a cluster.
      expect(contradicted).toEqual([]);
      run = session.start(index);
    });
    // Cleanup runs even when a step fails or the run is cut short.
    afterAll(async () => {
      if (run && !finished) await run.finish();
    });

    for (const [i, step] of suite.steps.entries()) {
      it(junitName(`step ${i + 1}: ${step.name}`), async (ctx) => {
        const result = await run.next();
        expect(result, `step ${i + 1} did not run`).toBeDefined();
        // Cells this backend cannot run are named in the report (JUnit: an annotation, or a skip for a whole step).
        const notRunnable = result!.cells.filter((c) => c.notRunnable);
        for (const c of notRunnable) await ctx.annotate(junitName(`not runnable here: ${c.from} -> ${c.to}: ${c.notRunnable}`), 'notice');
        const failed = result!.cells.filter((c) => !c.pass);
        if (failed.length) expect.fail(`${failed.length} cell(s) failed in ${suite.file}\n${renderStep(result!)}`);
        if (notRunnable.length && notRunnable.length === result!.cells.length) ctx.skip(junitName(`no cell of this step can run here: ${notRunnable[0]!.notRunnable}`));
      });
    }

    it('cleans up, and every deny is proven by a connection from the same source', async () => {
      finished = true;
      const result = await run.finish();
      expect(result.error).toBeUndefined();
      const unproven = result.steps.flatMap((s) => s.cells.filter((c) => c.unproven).map((c) => `step ${s.index + 1}: ${c.from} -> ${c.to}: ${c.unproven}`));
      expect(unproven).toEqual([]);
    });
  });
}
