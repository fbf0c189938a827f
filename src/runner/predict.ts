// The oracle: walks the suite on a fresh model and predicts every cell, with the model's explanation. Anything
// that makes a suite impossible (an unknown pod, a delete of an object that does not exist, a namespace missing)
// surfaces here as an InputError at the suite's line, before any cluster is touched.
import { turn } from '../backends/event-loop.ts';
import { ModelBackend } from '../backends/model/model-backend.ts';
import { InputError } from '../input/input-error.ts';
import type { ProbeSimulation } from '../model/simulate.ts';
import type { PolicySource } from '../model/policy/types.ts';
import { formatExpectation, formatObservation, satisfies } from '../probe/outcome.ts';
import type { Suite } from '../suite/types.ts';
import { formatPolicy } from '../model/trace.ts';
import { ActionError, walkSuite } from './walk.ts';

export interface PolicyInForce {
  source: PolicySource;
  /** Pods the policy selects, as namespace/name. */
  selects: string[];
  /** The directions in which it puts those pods into default deny. */
  isolates: ('ingress' | 'egress')[];
}

export interface StepPrediction {
  cells: Map<string, ProbeSimulation>;
  policies: PolicyInForce[];
}

/** One line per policy in force: its source, whom it selects, what it isolates (reports, the HTML page). */
export function describePolicies(policies: readonly PolicyInForce[]): string[] {
  return policies.map((p) => `${formatPolicy(p.source)}: selects ${p.selects.join(', ') || 'no pod'}; isolates ${p.isolates.join(' and ') || 'nothing'}`);
}

/** Predictions by step index. */
export type Predictions = Map<number, StepPrediction>;

export async function predictSuite(suite: Suite, signal?: AbortSignal): Promise<Predictions> {
  const model = new ModelBackend(suite.world);
  const predictions: Predictions = new Map();
  try {
    for await (const walked of walkSuite(suite, model, signal)) {
      const cells = new Map<string, ProbeSimulation>();
      for (const { cell, pod, argv, problem } of walked.cells) {
        await turn(signal);
        if (problem || !pod || !argv) throw new InputError(suite.file, cell.line, `step "${walked.step.name}": ${problem}`);
        const simulation = model.simulate(pod, argv);
        if (!('observation' in simulation)) throw new Error(`model could not run the probe: ${simulation.stderr}`);
        cells.set(cell.key, simulation);
      }
      const index = model.cluster.policyIndex();
      const policies = model.cluster.policies().map((policy) => ({
        source: policy.source,
        selects: index.selectedBy(policy).map((pod) => `${pod.namespace}/${pod.name}`),
        isolates: (['ingress', 'egress'] as const).filter((d) => policy[d].isolates),
      }));
      predictions.set(walked.index, { cells, policies });
    }
  } catch (e) {
    if (e instanceof ActionError) throw new InputError(suite.file, e.action.line, e.message);
    throw e;
  }
  return predictions;
}

/** Expectations the model predicts otherwise, as "file:line: ..." lines: a suite that contradicts policy semantics. */
export function contradictions(suite: Suite, predictions: Predictions): string[] {
  return suite.steps.flatMap((step, index) =>
    step.cells.flatMap((cell) => {
      const predicted = predictions.get(index)?.cells.get(cell.key)?.observation;
      // A cell the model does not predict contradicts nothing: it is reported as not predicted instead.
      if (!cell.expect || !predicted || predicted.outcome === 'unpredicted' || satisfies(cell.expect, predicted)) return [];
      return [`${suite.file}:${cell.line}: step "${step.name}": ${cell.key} expects ${formatExpectation(cell.expect)}, the model predicts ${formatObservation(predicted)}`];
    }),
  );
}
