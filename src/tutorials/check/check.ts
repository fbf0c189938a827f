// Checks every claim of a tutorial: its extracted suite runs on a backend (the model, or a cluster) and each claim
// is judged against what its probe observed. A claim whose probe could not run, or whose output says nothing
// about connectivity, is not checkable, with the reason; so is a flow shown that no probe of the text made.
import { formatExpectation, parseObservation, satisfies, type Observation } from '../../probe/outcome.ts';
import { printedBy, type Variant } from '../read/claimed-output.ts';
import type { SuiteResult } from '../../results/result.ts';
import type { Finding } from '../read/blocks.ts';
import type { Extraction } from '../extract/extract.ts';
import type { DocProbe } from '../extract/reading-state.ts';

export type Verdict = 'holds' | 'contradicted' | 'not-checkable';

export interface ClaimReport {
  /** Where the claimed output is. */
  file: string;
  line: number;
  /** The probe command, its file and its line. */
  command: string;
  commandFile: string;
  commandLine: number;
  output: string;
  claimed?: string;
  observed?: string;
  predicted?: string;
  verdict: Verdict;
  /** Why not checkable, or what was observed and why the model predicts it. */
  why?: string;
  explanation?: string[];
}

export interface DocsCheck {
  target: string;
  /** The docs config the tutorial was read with, if any. */
  config?: string;
  backend: string;
  /** No claim was found: nothing was checked (a failure unless allowed). */
  noClaims: boolean;
  claims: ClaimReport[];
  findings: Finding[];
  /** Probes the text runs without showing their output: nothing to check. */
  unclaimed: { file: string; line: number; command: string }[];
  result?: SuiteResult;
  pass: boolean;
}

/**
 * What a server the image catalog does not know might have answered where the model took it to listen: any status
 * (a sample of each class); where it took it not to listen, a refusal as well.
 */
function unknownServerAnswers(observed: Observation): Observation[] {
  const answers: Observation[] = [200, 204, 301, 403, 404, 500, 503].map((status) => ({ outcome: 'ok', status }));
  return observed.outcome === 'ok' ? answers : [...answers, observed];
}

/** What the client whose words the text shows would have printed instead. */
function printed(variant: Variant | undefined, observed: Observation, probe: DocProbe): string {
  const host = probe.cell?.to.host;
  const line = variant && printedBy(variant, observed, { host: host?.kind === 'name' ? host.name : 'HOST', ip: 'IP', port: probe.cell?.to.port ?? 80 });
  return line ? `; ${variant} would print "${line}"` : '';
}

/** Judges each claim of the tutorial against what its suite's run observed. */
export function judgeClaims(x: Extraction, result: SuiteResult, verdicts: { allowNoClaims?: boolean } = {}): DocsCheck {
  const claims: ClaimReport[] = [];
  for (const probe of x.probes) {
    const cell = probe.cell && result.steps.find((s) => s.index === probe.step)?.cells.find((c) => `${c.from} -> ${c.to}` === probe.cell!.key);
    for (const claim of probe.claims) {
      const base = { file: claim.file, line: claim.line, command: probe.command, commandFile: probe.file, commandLine: probe.line, output: claim.output, claimed: claim.expect && formatExpectation(claim.expect) };
      if (!claim.expect) claims.push({ ...base, verdict: 'not-checkable', why: claim.why });
      else if (probe.problem) claims.push({ ...base, verdict: 'not-checkable', why: probe.problem });
      else if (!cell) claims.push({ ...base, verdict: 'not-checkable', why: result.error ? `the run stopped: ${result.error}` : 'the probe was not run' });
      else if (cell.notRunnable) claims.push({ ...base, verdict: 'not-checkable', observed: cell.observed, predicted: cell.predicted, why: `not runnable on this backend: ${cell.notRunnable}` });
      else if (cell.observed === 'unpredicted') claims.push({ ...base, verdict: 'not-checkable', observed: cell.observed, predicted: cell.predicted, why: `not predicted: ${cell.unpredicted}` });
      // On the model an unknown server's declared ports were trusted: a claim holds only if any answer it could give
      // (or, without a port the manifests name, none) satisfies it; nothing is contradicted on that ground.
      else if (cell.assumed && result.backend === 'model' && !unknownServerAnswers(parseObservation(cell.observed)!).every((o) => satisfies(claim.expect!, o)))
        claims.push({ ...base, verdict: 'not-checkable', observed: cell.observed, predicted: cell.predicted, why: `the image's ports are not known: ${cell.assumed}` });
      else if (cell.observed === 'exec-error') claims.push({ ...base, verdict: 'not-checkable', observed: cell.observed, predicted: cell.predicted, why: `the probe could not run: ${cell.evidence?.reason ?? 'exec failed'}` });
      else {
        const observed = parseObservation(cell.observed)!;
        const holds = satisfies(claim.expect, observed);
        // Past the guard above an assumed server's claim holds whatever it answers: its status is no observation.
        const assumed = cell.assumed && result.backend === 'model' ? cell.assumed : undefined;
        claims.push({
          ...base,
          observed: assumed ? observed.outcome : cell.observed,
          predicted: assumed ? observed.outcome : cell.predicted,
          verdict: holds ? 'holds' : 'contradicted',
          why: assumed
            ? `${claim.reason}; any answer of a server there holds it (${assumed})`
            : holds
              ? claim.reason
              : `the text shows ${claim.reason}, the probe observed ${cell.observed}${cell.predicted === cell.observed ? '' : ` (the model predicts ${cell.predicted})`}${printed(claim.variant, observed, probe)}`,
          explanation: holds ? undefined : cell.explanation,
        });
      }
    }
  }
  // Flows no probe of the text made: nothing ran can check them.
  for (const o of x.observers) {
    for (const claim of o.claims) claims.push({ file: claim.file, line: claim.line, command: o.command, commandFile: o.file, commandLine: o.line, output: claim.output, verdict: 'not-checkable', why: claim.why });
  }
  const unclaimed = x.probes.filter((p) => p.claims.length === 0).map((p) => ({ file: p.file, line: p.line, command: p.command }));
  const noClaims = claims.length === 0;
  const failing = x.findings.some((f) => f.severity !== 'warning') || claims.some((c) => c.verdict === 'contradicted') || result.error !== undefined || (noClaims && !verdicts.allowNoClaims);
  return { target: x.target, config: x.config.file, backend: result.backend, noClaims, claims, findings: x.findings, unclaimed, result, pass: !failing };
}
