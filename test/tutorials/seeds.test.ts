// The five seed documents, end to end on the model: every probe claim found, every claim checked, and the
// extracted suites in agreement with the hand-written suites of the same tutorials.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { formatExpectation, formatObservation, satisfies } from '../../src/probe/outcome.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { REPO } from '../support/fixture.ts';

const seed = (name: string) => path.join('tutorials/seeds', name);
process.chdir(REPO);

// Every claim line of each document, as a reader finds them: the line of the output the text shows.
const CLAIM_LINES: Record<string, number[]> = {
  '000_89d52f9fa1fc5b7b.txt': [31, 33, 77, 79],
  '001_d1e533104cb86c41.txt': [32, 34, 73, 75],
  '002_76b179241617974a.txt': [17, 19, 70, 72],
  // 274: hubble's "Policy denied DROPPED" for the probe at line 251. 95: "both applications can connect to the
  // `backend` application", of the probes at 59 and 60 (their output shown at 67 and 81).
  '003_87bba962e4e6e360.txt': [67, 95, 81, 95, 143, 146, 212, 226, 274],
  // 224: "However, the `backend` can still reach kubernetes.io:" before its probe (227); 633: "the connection to the
  // desired destination timed out", of the probe at 627.
  '004_12ab6aaadef4ac20.txt': [191, 220, 228, 224, 318, 371, 385, 430, 444, 479, 506, 549, 564, 614, 628, 633],
};

describe.each(Object.entries(CLAIM_LINES))('seed %s', (name, lines) => {
  it('extract finds every probe claim', async () => {
    const { extraction } = await extractTutorial(seed(name));
    expect(extraction.probes.flatMap((p) => p.claims.map((c) => c.line))).toEqual(lines);
    expect(extraction.probes.filter((p) => p.problem)).toEqual([]);
  });

  it('check on the model: every claim holds', async () => {
    const { extraction, suite } = await extractTutorial(seed(name));
    const check = await checkDocs(extraction, suite);
    expect(check.claims.filter((c) => c.verdict !== 'holds')).toEqual([]);
    expect(check.claims).toHaveLength(lines.length);
  });
});

describe('lint findings on the seeds', () => {
  it('004: the delete that undoes policy 05, and the misspelt policy name', async () => {
    const { extraction } = await extractTutorial(seed('004_12ab6aaadef4ac20.txt'));
    expect(extraction.findings.map((f) => [f.rule, f.line])).toEqual([
      ['step-undoes-step', 477],
      ['policy-name-undefined', 434],
    ]);
    expect(extraction.findings[0]!.message).toContain('line 476');
    expect(extraction.findings[1]!.message).toContain('"backend-ingress-allow-monitoring-namespac"');
  });

  it('the others have none that fail a check (only ignored alert shortcodes)', async () => {
    for (const name of Object.keys(CLAIM_LINES).filter((n) => !n.startsWith('004'))) {
      const { extraction } = await extractTutorial(seed(name));
      expect(
        extraction.findings.filter((f) => f.severity !== 'warning'),
        name,
      ).toEqual([]);
      expect(
        extraction.findings.every((f) => f.rule === 'shortcode-ignored'),
        name,
      ).toBe(true);
    }
  });
});

// The hand-written suite of each tutorial cites `seeds/<file>:<line>`; 001 and 002 repeat 000's claims in order.
const HAND_WRITTEN: [string, string, string?][] = [
  ['suites/cilium-dns-aware.suite.yaml', '000_89d52f9fa1fc5b7b.txt'],
  ['suites/cilium-dns-aware.suite.yaml', '001_d1e533104cb86c41.txt', '000_89d52f9fa1fc5b7b.txt'],
  ['suites/cilium-dns-aware.suite.yaml', '002_76b179241617974a.txt', '000_89d52f9fa1fc5b7b.txt'],
  ['suites/cilium-basics-network-policies.suite.yaml', '003_87bba962e4e6e360.txt'],
  ['suites/network-policy-tutorial.suite.yaml', '004_12ab6aaadef4ac20.txt'],
];

describe.each(HAND_WRITTEN)('%s agrees with the suite extracted from %s', (suiteFile, name, cited = name) => {
  it('same claims: same source pod, same target, same claimed and predicted outcome', async () => {
    const hand = await loadSuite(suiteFile);
    const handPredictions = await predictSuite(hand);
    const handClaims = hand.steps.flatMap((step, i) => step.cells.filter((c) => c.claim?.startsWith(`seeds/${cited}:`)).map((c) => ({ cell: c, predicted: handPredictions.get(i)!.cells.get(c.key)!.observation })));
    // In document order (a step lists its matrix cells first).
    handClaims.sort((a, b) => Number(a.cell.claim!.split(':')[1]) - Number(b.cell.claim!.split(':')[1]));
    const { extraction, suite } = await extractTutorial(seed(name));
    const check = await checkDocs(extraction, suite);
    // The hand-written suites hold the outputs shown; what the prose says of them is checked by the lines above.
    const docClaims = extraction.probes.flatMap((p) => p.claims.filter((c) => !c.stated).map((c) => ({ probe: p, claim: c, report: check.claims.find((r) => r.line === c.line)! })));
    expect(docClaims).toHaveLength(handClaims.length);
    for (const [i, { cell, predicted }] of handClaims.entries()) {
      const { probe, claim, report } = docClaims[i]!;
      const where = `${cell.claim} vs ${claim.file}:${claim.line}`;
      if (cited === name) expect(cell.claim, where).toBe(`seeds/${name}:${claim.line}`);
      expect(probe.cell!.from, where).toEqual(cell.from);
      expect({ host: probe.cell!.to.host, port: probe.cell!.to.port, scheme: probe.cell!.to.scheme }, where).toEqual({ host: cell.to.host, port: cell.to.port, scheme: cell.to.scheme });
      // Hubble's word is "dropped" (denied); the hand-written suite names the timeout that drop causes.
      if (claim.expect!.outcome !== 'denied') expect(claim.expect, where).toEqual(cell.expect);
      // What the text claims holds for the hand-written suite's prediction too (not the model against itself), and
      // the docs check observed it.
      expect(satisfies(claim.expect!, predicted), `${where}: the text claims ${formatExpectation(claim.expect!)}, the hand-written suite predicts ${formatObservation(predicted)}`).toBe(true);
      expect(report.verdict, where).toBe('holds');
    }
  });
});
