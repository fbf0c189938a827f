// The model's account of a probe, step by step, for `explain` and for reports.
import type { PolicySource } from './policy/types.ts';
import type { RuleRef, Verdict } from './policy/verdict.ts';

export interface TraceStep {
  phase: 'dns' | 'connect';
  /** e.g. "client egress", "server ingress", "dns proxy", "service" */
  side: string;
  verdict: 'allow' | 'deny' | 'note';
  text: string;
  rules?: RuleRef[];
  isolatedBy?: PolicySource[];
}

export function formatPolicy(source: PolicySource): string {
  const where = source.file ? ` (${source.file}${source.line ? `:${source.line}` : ''})` : '';
  return `${source.kind} ${source.namespace}/${source.name}${where}`;
}

export function formatRule(rule: RuleRef): string {
  const where = rule.policy.file ? ` (${rule.policy.file}${rule.line ? `:${rule.line}` : ''})` : '';
  return `${rule.policy.kind} ${rule.policy.namespace}/${rule.policy.name} ${rule.path}${where}`;
}

/** One trace step for a policy verdict on one side of a flow. */
export function verdictStep(phase: TraceStep['phase'], side: string, flow: string, verdict: Verdict): TraceStep {
  if (verdict.isolatedBy.length === 0) {
    return { phase, side, verdict: 'allow', text: `${flow}: allowed, no policy isolates this side` };
  }
  if (verdict.allowed) {
    return { phase, side, verdict: 'allow', text: `${flow}: allowed by ${verdict.allowedBy.map(formatRule).join('; ')}`, rules: verdict.allowedBy };
  }
  return {
    phase,
    side,
    verdict: 'deny',
    text: `${flow}: denied, default deny by ${verdict.isolatedBy.map(formatPolicy).join('; ')} and no rule allows it`,
    isolatedBy: verdict.isolatedBy,
  };
}

export function formatTrace(trace: readonly TraceStep[]): string[] {
  return trace.map((step) => `[${step.phase}] ${step.side}: ${step.text}`);
}
