// A run's failures as GitHub workflow commands (src/report/annotations.ts): one error per failed cell at its suite
// line, one per suite that stopped early at its file, each a single command line whatever the names hold.
import { describe, expect, it } from 'vitest';
import { runAnnotations } from '../../src/report/annotations.ts';
import { inert } from '../../src/report/inert.ts';
import type { CellResult, SuiteResult } from '../../src/results/result.ts';
import { HOSTILE, HOSTILE_MIX, unescapeWorkflow } from '../support/hostile.ts';

const cell = (to: string, pass: boolean, line: number): CellResult => ({ from: HOSTILE.newline!, to, predicted: 'ok', observed: pass ? 'ok' : 'connect-timeout', expected: 'ok', pass, agreesWithModel: pass, line, explanation: [] });
const suite = (file: string, cells: CellResult[], error?: string): SuiteResult => ({
  name: HOSTILE_MIX,
  file,
  backend: 'kind',
  steps: [{ index: 1, name: 'deny', actions: [], convergenceMs: 0, enforcement: 'confirmed', timing: { applyMs: 0, enforceMs: 0, probeMs: 0, settleMs: 0 }, cells }],
  counts: { cells: cells.length, asserted: cells.length, claims: 0, failed: cells.filter((c) => !c.pass).length, execErrors: 0, notRunnable: 0, unpredicted: 0 },
  pass: false,
  ...(error !== undefined && { error }),
});

describe('run --annotations', () => {
  it('annotates each failed cell at its line and each stopped suite at its file, as one command line each', () => {
    const lines = runAnnotations([suite('/w/a.suite.yaml', [cell('b:80', true, 7), cell('c:80', false, 9)]), suite(`/w/${HOSTILE.commaColon}.suite.yaml`, [], HOSTILE.percent)], `cilium 1.20${HOSTILE.workflow}`, (f) => f.replace('/w/', ''));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^::error file=[^:,\r\n]*(,line=\d+)?,title=[^:,\r\n]*::[^\r\n]*$/);
    const [stopped, failed] = lines.map((l) =>
      /^::error file=([^,:]*),(?:line=(\d+),)?title=([^,:]*)::(.*)$/
        .exec(l)!
        .slice(1)
        .map((p) => (p === undefined ? p : unescapeWorkflow(p))),
    );
    expect(stopped).toEqual([inert(`${HOSTILE.commaColon}.suite.yaml`), undefined, inert(`stopped on cilium 1.20${HOSTILE.workflow}`), inert(`${HOSTILE_MIX}: ${HOSTILE.percent}`)]);
    expect(failed).toEqual(['a.suite.yaml', '9', inert(`fails on cilium 1.20${HOSTILE.workflow}`), inert(`${HOSTILE_MIX} / step 2: ${HOSTILE.newline} -> c:80 observed connect-timeout, expected ok (model ok)`)]);
  });
});
