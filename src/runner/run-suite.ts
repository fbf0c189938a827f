// Runs a suite on a backend: every cell probed with the same command a cluster would run, classified in one place,
// compared with the suite's expectation and with the oracle's prediction.
import pRetry from 'p-retry';
import { TransportError, type ClusterBackend } from '../backends/backend.ts';
import { formatTrace } from '../model/trace.ts';
import { classifyProbe, type Classification, type ExecResult } from '../probe/classify.ts';
import { agree, formatExpectation, formatObservation, satisfies } from '../probe/outcome.ts';
import type { Suite } from '../suite/types.ts';
import type { Predictions } from './predict.ts';
import type { CellResult, StepResult, SuiteResult } from './result.ts';
import { walkSuite, type ResolvedCell } from './walk.ts';

export interface RunOptions {
  /** Probe only cells whose "suite / step / from -> to" contains one of these (case-insensitive). */
  only?: string[];
  signal?: AbortSignal;
}

const EXEC_RETRIES = 2;

function selected(only: string[] | undefined, ...names: string[]): boolean {
  if (!only?.length) return true;
  const text = names.join(' / ').toLowerCase();
  return only.some((o) => text.includes(o.toLowerCase()));
}

async function probe(backend: ClusterBackend, resolved: ResolvedCell, timeoutMs: number): Promise<{ result: ExecResult; classification: Classification }> {
  if (!resolved.pod || !resolved.argv) {
    const result = { exitCode: -1, stdout: '', stderr: resolved.problem ?? 'not probed' };
    return { result, classification: { outcome: 'exec-error', reason: result.stderr } };
  }
  const { pod, argv } = resolved;
  try {
    // Only a transport failure is retried: the command never ran, so a retry cannot turn a deny into a pass.
    const result = await pRetry(() => backend.exec(pod, argv, timeoutMs), {
      retries: EXEC_RETRIES,
      minTimeout: 200,
      shouldRetry: ({ error }) => error instanceof TransportError,
    });
    return { result, classification: classifyProbe(argv, result) };
  } catch (e) {
    const result = { exitCode: -1, stdout: '', stderr: (e as Error).message };
    return { result, classification: { outcome: 'exec-error', reason: `exec failed: ${result.stderr}` } };
  }
}

export async function runSuite(suite: Suite, backend: ClusterBackend, predictions: Predictions, options: RunOptions = {}): Promise<SuiteResult> {
  const steps: StepResult[] = [];
  let error: string | undefined;
  const timeoutMs = suite.connectTimeoutSeconds * 3000;
  try {
    for await (const walked of walkSuite(suite, backend, options.signal)) {
      const cells: CellResult[] = [];
      for (const resolved of walked.cells) {
        const { cell } = resolved;
        if (!selected(options.only, suite.name, walked.step.name, cell.key)) continue;
        const prediction = predictions.get(walked.index)?.cells.get(cell.key);
        if (!prediction) throw new Error(`no prediction for step ${walked.index} cell ${cell.key}`);
        const { result, classification } = await probe(backend, resolved, timeoutMs);
        const agreesWithModel = agree(classification, prediction.observation);
        const pass = classification.outcome !== 'exec-error' && (cell.expect ? satisfies(cell.expect, classification) : agreesWithModel);
        const [fromText, toText] = cell.key.split(' -> ') as [string, string];
        cells.push({
          from: fromText,
          to: toText,
          expected: cell.expect && formatExpectation(cell.expect),
          predicted: formatObservation(prediction.observation),
          observed: formatObservation(classification),
          pass,
          agreesWithModel,
          claim: cell.claim,
          line: cell.line,
          resolved: prediction.resolved,
          evidence: resolved.pod && {
            pod: `${resolved.pod.namespace}/${resolved.pod.name}`,
            command: resolved.argv ?? [],
            exitCode: result.exitCode,
            stderr: result.stderr.trim(),
            stdout: result.stdout.split(/\r?\n/)[0] ?? '',
            reason: classification.reason,
          },
          explanation: formatTrace(prediction.trace),
        });
      }
      steps.push({ index: walked.index, name: walked.step.name, claim: walked.step.claim, actions: walked.step.actions.map((a) => a.what), convergenceMs: walked.convergenceMs, cells });
    }
  } catch (e) {
    error = (e as Error).message;
  }
  const all = steps.flatMap((s) => s.cells);
  const counts = {
    cells: all.length,
    asserted: all.filter((c) => c.expected !== undefined).length,
    claims: all.filter((c) => c.claim !== undefined).length,
    failed: all.filter((c) => !c.pass).length,
    execErrors: all.filter((c) => c.observed === 'exec-error').length,
  };
  return { name: suite.name, file: suite.file, source: suite.source, backend: backend.name, steps, counts, pass: !error && counts.failed === 0, error };
}
