// A change the text makes, tried on the model and recorded as an action of the latest step; or, where it cannot be
// followed, the point after which claims are not checked.
import { performAction } from '../../backends/perform-action.ts';
import { formatRef, refOf, type ObjectRef } from '../../manifest/objects.ts';
import type { Action } from '../../suite/types.ts';
import { POD_LABEL } from './targets.ts';
import { find, type Place, type WalkState } from './walk-state.ts';

/** Tries the action on the model and adds it to the latest step, or to a new one if that step has probes. */
export async function act(state: WalkState, place: Place, text: string, action: Action, throwaway = false) {
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
