// The model's account of a probe, step by step, for `explain` and for reports.
import type { PolicySource } from './policy/types.ts';
import type { RuleRef, Verdict } from './policy/verdict.ts';

export interface TraceStep {
  phase: 'dns' | 'connect';
  /** e.g. "client egress", "server ingress", "dns proxy", "http proxy", "service" */
  side: string;
  verdict: 'allow' | 'deny' | 'note';
  text: string;
  rules?: RuleRef[];
  isolatedBy?: PolicySource[];
}

function where(file: string | undefined, line: number | undefined): string {
  return file ? ` (${file}${line ? `:${line}` : ''})` : '';
}

const noted = (source: PolicySource) => (source.note ? ` [${source.note}]` : '');

export function formatPolicy(source: PolicySource): string {
  return `${source.kind} ${source.namespace ? `${source.namespace}/` : ''}${source.name}${where(source.file, source.line)}${noted(source)}`;
}

export function formatRule(rule: RuleRef): string {
  return `${rule.policy.kind} ${rule.policy.namespace ? `${rule.policy.namespace}/` : ''}${rule.policy.name} ${rule.path}${where(rule.policy.file, rule.line)}${noted(rule.policy)}`;
}

/** One trace step for a policy verdict on one side of a flow. */
export function verdictStep(phase: TraceStep['phase'], side: string, flow: string, verdict: Verdict): TraceStep {
  if (verdict.audited) {
    const denied = verdictStep(phase, side, flow, { ...verdict, allowed: false, audited: false });
    return { ...denied, verdict: 'allow', text: `${denied.text}; AUDITED: policy audit mode is on for this endpoint, so the flow is forwarded, not dropped` };
  }
  if (verdict.decidedBy) {
    const rules = verdict.allowed ? verdict.allowedBy : verdict.deniedBy;
    const when = verdict.decidedBy === 'Admin' ? 'before any NetworkPolicy or Cilium policy' : 'as no NetworkPolicy or Cilium policy decided';
    return { phase, side, verdict: verdict.allowed ? 'allow' : 'deny', text: `${flow}: ${verdict.allowed ? 'accepted' : 'denied'} by ${rules.map(formatRule).join('; ')} (${verdict.decidedBy} tier, ${when})`, rules };
  }
  if (verdict.deniedBy.length > 0) {
    return { phase, side, verdict: 'deny', text: `${flow}: denied by ${verdict.deniedBy.map(formatRule).join('; ')}, which beats every allow`, rules: verdict.deniedBy };
  }
  if (verdict.isolatedBy.length === 0) {
    const l7 = verdict.allowedBy.length ? ` (L7 rules of ${verdict.allowedBy.map(formatRule).join('; ')} apply)` : '';
    return { phase, side, verdict: 'allow', text: `${flow}: allowed, no policy isolates this side${l7}`, rules: verdict.allowedBy };
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
