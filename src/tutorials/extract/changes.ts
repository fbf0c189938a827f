// A change the text makes, tried on the model and recorded as an action of the latest step; or, where it cannot be
// followed, the point after which claims are not checked.
import { performAction } from '../../backends/perform-action.ts';
import { formatRef, refOf, type ObjectRef } from '../../manifest/objects.ts';
import { podRefLabels, type PodSelectorRef, type Target } from '../../probe/target.ts';
import type { Action } from '../../suite/types.ts';
import type { Unmodelled } from './manifests.ts';
import { POD_LABEL } from './targets.ts';
import { find, type Place, type ReadingState } from './reading-state.ts';

/** Tries the action on the model and adds it to the latest step, or to a new one if that step has probes. */
export async function act(state: ReadingState, place: Place, text: string, action: Action, throwaway = false) {
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
export function lintUndos(state: ReadingState) {
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
export function lose(state: ReadingState, place: Place, why: string) {
  state.changes++;
  find(state, 'warning', 'not-followed', place, `${why}: claims after this line are not checked`);
  state.lost ??= `${why} (${place.file}:${place.line})`;
}

/** A delete of something no earlier step created fails for the reader too: a finding, and no action. */
export async function deleteRefs(state: ReadingState, refs: ObjectRef[], place: Place, text: string) {
  const missing = state.lost ? undefined : refs.find((ref) => !state.created.has(formatRef(ref)));
  if (missing) return find(state, 'lint', 'delete-never-created', place, `${text}: no earlier step creates ${formatRef(missing)}${similar(state, missing)}`);
  await act(state, place, text, { kind: 'delete', refs, ...at(place, text) });
}

export function similar(state: ReadingState, ref: ObjectRef): string {
  const names = [...state.created].filter((r) => r.startsWith(`${ref.kind} `));
  return names.length ? ` (created so far: ${names.join(', ')})` : '';
}

/** An action's description and line: the command as written, and where. */
export function at(place: Place, text: string): { what: string; line: number } {
  return { what: `${text} (${place.file}:${place.line})`, line: place.line };
}

/** Objects the model does not simulate, applied by one command: from here on, claims they could affect are not checked. */
export function unsimulated(state: ReadingState, place: Place, text: string, objects: readonly Unmodelled[], namespace: string | undefined) {
  const acting = objects.filter((u) => u.effect !== 'inert');
  if (acting.length === 0) return;
  state.changes++;
  // A namespace's policies, or workloads, change only the traffic of pods of that namespace.
  const scopeOf = (u: Unmodelled) => ((u.effect === 'policy' && !u.cluster) || u.effect === 'pods' ? (u.namespace ?? namespace ?? 'default') : undefined);
  const everywhere = acting.some((u) => scopeOf(u) === undefined);
  const namespaces = everywhere ? [] : [...new Set(acting.map((u) => scopeOf(u)!))];
  const named = acting.map((u) => `${u.kind}${u.name ? ` ${u.name}` : ''} (${u.apiVersion}, ${u.file}:${u.line})`);
  const what = named.length > 3 ? `${named.slice(0, 3).join(', ')} and ${named.length - 3} more` : named.join(', ');
  const effect = acting.every((u) => u.effect === 'policy')
    ? `policies of another engine${everywhere ? ', selecting pods of every namespace' : ''}`
    : acting.every((u) => u.effect === 'pods')
      ? 'workloads whose pods the model does not run'
      : 'objects whose effect on traffic is unknown';
  const why = `${text} applies ${what}, which the harness does not simulate (${effect})`;
  const about = everywhere
    ? 'claims'
    : acting.every((u) => u.effect === 'pods' && u.podLabels)
      ? `claims about flows from or to their pods (in namespace ${namespaces.join(', ')})`
      : `claims about pods in namespace ${namespaces.join(', ')}`;
  find(state, 'warning', 'not-simulated', place, `${why}: ${about} after this line are not checked`);
  const because = `${why} (${place.file}:${place.line})`;
  if (everywhere) state.unsimulated.push({ why: because });
  else {
    for (const u of acting) if (u.effect === 'pods' && u.podLabels) state.unsimulated.push({ namespace: scopeOf(u), pods: u.podLabels, why: because });
    for (const ns of new Set(acting.filter((u) => !(u.effect === 'pods' && u.podLabels)).map((u) => scopeOf(u)!))) state.unsimulated.push({ namespace: ns, why: because });
  }
}

/** Why a probe from `from` to `to` cannot be checked: an unsimulated object applied before it, or audit mode where the harness cannot follow it. */
export function unsimulatedProblem(state: ReadingState, from: PodSelectorRef, to: Target): string | undefined {
  const audit = state.audit ?? state.pendingAudit?.why;
  if (audit) return `where Cilium's policy audit mode is on is not known: ${audit}`;
  const host = to.host;
  const toNamespace = host.kind === 'pod-ip' ? host.pod.namespace : host.kind === 'service-ip' ? host.service.namespace : namespaceOfName(host.name, from.namespace);
  const hit = state.unsimulated.find((u) => (u.namespace === undefined ? true : u.pods ? touchesPods(state, u.namespace, u.pods, from, to) : u.namespace === from.namespace || u.namespace === toNamespace));
  return hit && `the tutorial's state is not simulated after ${hit.why}`;
}

/**
 * Whether a probe may run from or reach pods of a workload the model lacks (labels `pods` in `namespace`): its source
 * ref could pick one, or its target is such a pod, or a Service whose selector they match, or a name the harness cannot
 * tie to a Service (a StatefulSet pod's own name). Other pods' flows do not depend on pods that are neither end.
 */
function touchesPods(state: ReadingState, namespace: string, pods: Record<string, string>, from: PodSelectorRef, to: Target): boolean {
  const carried = (labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => pods[k] === v);
  const service = (ns: string, name: string) => {
    const s = state.model.cluster.get({ kind: 'Service', namespace: ns, name }) as { spec?: { selector?: Record<string, string> } } | undefined;
    const selector = s?.spec?.selector ?? {};
    return Object.keys(selector).length === 0 || carried(selector);
  };
  if (from.namespace === namespace && carried(podRefLabels(from, POD_LABEL))) return true;
  const host = to.host;
  if (host.kind === 'pod-ip') return host.pod.namespace === namespace && carried(podRefLabels(host.pod, POD_LABEL));
  if (host.kind === 'service-ip') return host.service.namespace === namespace && service(namespace, host.service.name);
  const ns = namespaceOfName(host.name, from.namespace);
  if (ns !== namespace) return false;
  const labels = host.name.replace(/\.$/, '').split('.');
  const serviceName = labels.length <= 2 || /^[^.]+\.[^.]+\.svc(\.cluster\.local)?$/.test(host.name.replace(/\.$/, '')) ? labels[0]! : undefined;
  return serviceName === undefined || service(namespace, serviceName);
}

/** The namespace a Service name resolves in: `svc.ns`, `svc.ns.svc[.cluster.local]`, or a bare name in the client's. */
function namespaceOfName(name: string, client: string): string | undefined {
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.length === 1) return client;
  return labels.length === 2 || /\.svc(\.cluster\.local)?$/.test(name.replace(/\.$/, '')) ? labels[1] : undefined;
}
