// A change the text makes, tried on the model and recorded as an action of the latest step; or, where it cannot be
// followed, the point after which claims are not checked.
import { performAction } from '../../backends/perform-action.ts';
import { formatRef, refOf, type ObjectRef } from '../../manifest/objects.ts';
import type { PodSelectorRef, Target } from '../../probe/target.ts';
import type { Action } from '../../suite/types.ts';
import type { Unmodelled } from './manifests.ts';
import { POD_LABEL } from './targets.ts';
import { find, type Place, type WalkState } from './walk-state.ts';

/** Tries the action on the model and adds it to the latest step, or to a new one if that step has probes. */
export async function act(state: WalkState, place: Place, text: string, action: Action, throwaway = false) {
  if (!throwaway) state.changes++;
  if (state.lost) return;
  const before = state.model.cluster.fingerprint();
  try {
    await performAction(state.model, action, POD_LABEL);
  } catch (e) {
    return lose(state, place, `${text}: ${(e as Error).message}`);
  }
  if (action.kind === 'apply') for (const o of action.objects) state.created.add(formatRef(refOf(o)));
  let step = state.steps.at(-1);
  if (!step || step.probes.length > 0) {
    step = { ...place, name: '', actions: [], probes: [] };
    state.steps.push(step);
  }
  step.actions.push({ ...place, command: text, action, before, after: state.model.cluster.fingerprint(), ...(throwaway && { throwaway }) });
  const commands = step.actions.map((a) => a.command).join('; ');
  step.name = state.heading ? `${state.heading}: ${commands}` : commands;
}

/** An action that returns the cluster to the state before an earlier action of the same step undoes it. */
export function lintUndos(state: WalkState) {
  for (const step of state.steps) {
    const claims = step.probes.flatMap((p) => p.claims.filter((c) => c.expect));
    if (claims.length === 0) continue;
    for (const [j, later] of step.actions.entries()) {
      if (later.throwaway) continue;
      const undone = step.actions.slice(0, j).find((a) => !a.throwaway && a.before === later.after);
      if (!undone) continue;
      find(
        state,
        'lint',
        'step-undoes-step',
        later,
        `"${later.command}" undoes "${undone.command}" (line ${undone.line}): the cluster is back to its state before line ${undone.line}, so the claim(s) at ${claims.map((c) => `line ${c.line}`).join(', ')} prove nothing about what line ${undone.line} did`,
      );
    }
  }
}

/** A change the harness cannot follow: claims after it cannot be checked. */
export function lose(state: WalkState, place: Place, why: string) {
  state.changes++;
  find(state, 'warning', 'not-followed', place, `${why}: claims after this line are not checked`);
  state.lost ??= `${why} (${place.file}:${place.line})`;
}

/** A delete of something no earlier step created fails for the reader too: a finding, and no action. */
export async function deleteRefs(state: WalkState, refs: ObjectRef[], place: Place, text: string) {
  const missing = state.lost ? undefined : refs.find((ref) => !state.created.has(formatRef(ref)));
  if (missing) return find(state, 'lint', 'delete-never-created', place, `${text}: no earlier step creates ${formatRef(missing)}${similar(state, missing)}`);
  await act(state, place, text, { kind: 'delete', refs, ...at(place, text) });
}

export function similar(state: WalkState, ref: ObjectRef): string {
  const names = [...state.created].filter((r) => r.startsWith(`${ref.kind} `));
  return names.length ? ` (created so far: ${names.join(', ')})` : '';
}

/** An action's description and line: the command as written, and where. */
export function at(place: Place, text: string): { what: string; line: number } {
  return { what: `${text} (${place.file}:${place.line})`, line: place.line };
}

/** Objects the model does not simulate, applied by one command: from here on, claims they could affect are not checked. */
export function unsimulated(state: WalkState, place: Place, text: string, objects: readonly Unmodelled[], namespace: string | undefined) {
  const acting = objects.filter((u) => u.effect !== 'inert');
  if (acting.length === 0) return;
  state.changes++;
  const scopeOf = (u: Unmodelled) => (u.effect === 'policy' && !u.cluster ? (u.namespace ?? namespace ?? 'default') : undefined);
  const everywhere = acting.some((u) => scopeOf(u) === undefined);
  const namespaces = everywhere ? [] : [...new Set(acting.map((u) => scopeOf(u)!))];
  const named = acting.map((u) => `${u.kind}${u.name ? ` ${u.name}` : ''} (${u.apiVersion}, ${u.file}:${u.line})`);
  const what = named.length > 3 ? `${named.slice(0, 3).join(', ')} and ${named.length - 3} more` : named.join(', ');
  const effect = acting.every((u) => u.effect === 'policy') ? `policies of another engine${everywhere ? ', selecting pods of every namespace' : ''}` : 'objects whose effect on traffic is unknown';
  const why = `${text} applies ${what}, which the harness does not simulate (${effect})`;
  find(state, 'warning', 'not-simulated', place, `${why}: ${everywhere ? 'claims' : `claims about pods in namespace ${namespaces.join(', ')}`} after this line are not checked`);
  const because = `${why} (${place.file}:${place.line})`;
  if (everywhere) state.unsimulated.push({ why: because });
  else for (const ns of namespaces) state.unsimulated.push({ namespace: ns, why: because });
}

/** Why a probe from `from` to `to` cannot be checked: an unsimulated object applied before it, or audit mode. */
export function unsimulatedProblem(state: WalkState, from: PodSelectorRef, to: Target): string | undefined {
  if (state.audit) return `Cilium's policy audit mode is on (${state.audit}): denied flows are audited and let through, which the harness does not simulate`;
  const host = to.host;
  const toNamespace = host.kind === 'pod-ip' ? host.pod.namespace : host.kind === 'service-ip' ? host.service.namespace : undefined;
  const hit = state.unsimulated.find((u) => u.namespace === undefined || u.namespace === from.namespace || u.namespace === toNamespace);
  return hit && `the tutorial's state is not simulated after ${hit.why}`;
}

// Cilium's policy audit mode, as the agent option (`cilium config PolicyAuditMode=true`, helm's policyAuditMode,
// the cilium-config ConfigMap's policy-audit-mode) or per endpoint (`cilium-dbg endpoint config ID PolicyAuditMode=Enabled`).
const AUDIT = /policy-?audit-?mode["']?\s*[=:]\s*["']?(true|false|enabled|disabled)\b/i;

/** A command that switches policy audit mode on or off: while it is on, claims are not checked. */
export function auditMode(state: WalkState, place: Place, text: string) {
  const m = AUDIT.exec(text);
  if (!m) return;
  const on = /^(true|enabled)$/i.test(m[1]!);
  if (on && !state.audit) {
    state.audit = `${text} (${place.file}:${place.line})`;
    find(state, 'warning', 'audit-mode', place, `${text}: Cilium's policy audit mode lets denied flows through (audited, not dropped); claims are not checked until it is switched off`);
  } else if (!on) state.audit = undefined;
}
