// `netpol-e2e explain`: for one step and cell, the policies in force (and whom they select), then each decision
// on the way: the client's egress and the server's ingress for DNS and for the connection, and the DNS proxy.
import pc from 'picocolors';
import type { ProbeSimulation } from '../model/simulate.ts';
import { formatPolicy } from '../model/trace.ts';
import type { PolicyInForce } from '../runner/predict.ts';
import { formatObservation } from '../probe/outcome.ts';
import { inert, inertDeep } from './inert.ts';

const MARK = { allow: pc.green('allow'), deny: pc.red('deny '), note: pc.dim('info ') } as const;

export function renderExplanation(rawTitle: string, rawPolicies: PolicyInForce[], rawKey: string, raw: ProbeSimulation): string {
  const [title, cellKey, policies, simulation] = [inert(rawTitle), inert(rawKey), inertDeep(rawPolicies), inertDeep(raw)];
  const lines = [pc.bold(title), '', 'Policies in force:'];
  if (policies.length === 0) lines.push('  none: every pod allows everything');
  for (const p of policies) {
    lines.push(`  ${formatPolicy(p.source)}`);
    lines.push(`    selects: ${p.selects.join(', ') || 'no pod'}`);
    lines.push(`    isolates: ${p.isolates.join(' and ') || 'nothing (its rules only add allows or L7 rules)'}`);
  }
  lines.push('', `${pc.bold(cellKey)}: predicted ${pc.bold(formatObservation(simulation.observation))}`);
  for (const phase of ['dns', 'connect'] as const) {
    const steps = simulation.trace.filter((t) => t.phase === phase);
    if (steps.length === 0) continue;
    lines.push(phase === 'dns' ? '  DNS lookup:' : '  Connection:');
    for (const step of steps) lines.push(`    ${MARK[step.verdict]} ${step.side}: ${step.text}`);
  }
  const printed = (simulation.exec.stderr || simulation.exec.stdout.split(/\r?\n/)[0] || '').trim();
  lines.push('', pc.dim(`the probe would exit ${simulation.exec.exitCode}${printed ? `: ${printed}` : ''}`));
  return lines.join('\n');
}
