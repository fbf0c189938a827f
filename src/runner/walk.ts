// Walks a suite on a backend: deploys the apps, runs each step's actions, waits for enforcement, and hands over
// the step's cells resolved to pods and probe commands. Whatever it created or relabelled is undone at the end,
// also when the caller stops early or the walk is aborted (Ctrl-C).
import type { ClusterBackend, PodInfo, PolicyChange } from '../backends/backend.ts';
import { refOf, type ObjectRef } from '../manifest/objects.ts';
import { buildProbeArgv } from '../probe/command.ts';
import { formatPodRef, podRefLabels, probeFor, type PodSelectorRef } from '../probe/target.ts';
import type { Action, Cell, Step, Suite } from '../suite/types.ts';
import type { KeptApps } from './kept-apps.ts';
import { LeftBehind } from './left-behind.ts';
import { turn } from '../backends/event-loop.ts';
import { performAction } from '../backends/perform-action.ts';

export interface ResolvedCell {
  cell: Cell;
  pod?: PodInfo;
  /** The host the probe goes to: the name, or the pod or Service IP it was resolved to. */
  address?: string;
  argv?: string[];
  /** Why the cell cannot be probed (an unknown pod); then pod and argv are absent. */
  problem?: string;
  /** Why this backend cannot run the probe at all (a protocol its nodes lack, an address nothing serves); no argv. */
  notRunnable?: string;
}

export interface WalkedStep {
  index: number;
  step: Step;
  cells: ResolvedCell[];
  /** How long the step's actions took (apply and rollouts, deletes, labels). */
  applyMs: number;
  /** How long the backend took to confirm enforcement after the step's actions. */
  convergenceMs: number;
  /** "unconfirmed" when the backend cannot tell when policies are enforced: the runner then probes until the matrix settles. */
  enforcement: 'confirmed' | 'unconfirmed';
}

/** A step's action failed on the backend; carries the suite line of the action. */
export class ActionError extends Error {
  override readonly name = 'ActionError';
  constructor(
    readonly action: Action,
    cause: unknown,
  ) {
    super(`${action.what}: ${(cause as Error).message ?? String(cause)}`, { cause });
  }
}

async function firstPod(backend: ClusterBackend, ref: PodSelectorRef, podLabel: string, signal?: AbortSignal): Promise<PodInfo | undefined> {
  const pods = await backend.pods({ namespace: ref.namespace, labels: podRefLabels(ref, podLabel) }, signal);
  return pods.sort((a, b) => a.name.localeCompare(b.name))[0];
}

class Undo {
  constructor(private readonly podLabel: string) {}

  private readonly created: ObjectRef[] = [];
  private readonly relabelled: { ref: ObjectRef; restore: Record<string, string | null> }[] = [];
  /** Policy audit mode is off before a suite; left on, it is switched off again. */
  private audit = false;

  run(backend: ClusterBackend, action: Action, signal?: AbortSignal): Promise<PolicyChange> {
    const record = {
      creating: (refs: ObjectRef[]) => this.created.push(...refs),
      relabelling: (ref: ObjectRef, restore: Record<string, string | null>) => this.relabelled.push({ ref, restore }),
      auditing: (on: boolean) => (this.audit = on),
    };
    return performAction(backend, action, this.podLabel, record, signal);
  }

  /**
   * Switches audit mode off, restores labels, then deletes what was created, newest first; keeps going past failures
   * (until the API server is found unreachable) and records what it could not undo in `left`. No signal: a cleanup
   * must finish.
   */
  async undo(backend: ClusterBackend, left: LeftBehind): Promise<void> {
    if (this.audit) await left.undo(() => backend.setPolicyAudit!(false), { what: 'audit mode' });
    for (const { ref, restore } of this.relabelled.reverse()) {
      await left.undo(
        async () => {
          // An object a later step deleted has no labels left to restore.
          if ((await backend.labels(ref)) !== undefined) await backend.setLabels(ref, restore);
        },
        { what: 'labels', ref, restore },
      );
    }
    for (const ref of this.created.reverse()) await left.undo(() => backend.remove([ref], { ignoreMissing: true }), { what: 'object', ref });
  }
}

/**
 * With `kept`, a setup equal to the previous suite's is not deployed again, and this suite's setup is kept for the
 * next one instead of deleted, unless a step changed a kept object or the walk did not finish cleanly. What the
 * cleanup could not undo is recorded in `left` (the run's record) and told in the walk's error.
 */
export async function* walkSuite(suite: Suite, backend: ClusterBackend, signal?: AbortSignal, kept?: KeptApps, left = new LeftBehind()): AsyncGenerator<WalkedStep> {
  const mark = left.entries.length;
  const setupUndo = new Undo(suite.podLabel);
  const undo = new Undo(suite.podLabel);
  const reused = kept?.matches(suite.setup) ?? false;
  let keep = kept !== undefined;
  const perform = async (actions: Action[], into: Undo) => {
    const change: PolicyChange = { applied: [], removed: [], relabelled: [] };
    const began = performance.now();
    for (const action of actions) {
      signal?.throwIfAborted();
      if (into === undo && kept?.touches(action)) keep = false;
      const done = await into.run(backend, action, signal).catch((e: unknown) => {
        throw new ActionError(action, e);
      });
      change.applied.push(...done.applied);
      change.removed.push(...done.removed);
      change.relabelled.push(...done.relabelled);
    }
    const started = performance.now();
    const enforcement = await backend.waitEnforced(change, signal);
    return { applyMs: started - began, convergenceMs: performance.now() - started, enforcement };
  };
  let finished = false;
  let failure: Error | undefined;
  try {
    if (!reused) {
      await kept?.release(backend, left);
      // Kept before it is deployed, so that a deployment that fails half-way is released all the same.
      kept?.keep(
        suite.setup,
        suite.setup.flatMap((a) => (a.kind === 'apply' ? a.objects.map((o) => refOf(o)) : [])),
      );
      await perform(suite.setup, setupUndo);
    }
    for (const [index, step] of suite.steps.entries()) {
      // The model answers without ever waiting: let a pending Ctrl-C be heard before each step.
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      const { applyMs, convergenceMs, enforcement } = await perform(step.actions, undo);
      const cells: ResolvedCell[] = [];
      // Pods are looked up once per step: on a cluster each lookup is an API list.
      const found = new Map<string, Promise<PodInfo | undefined>>();
      const podOf = (ref: PodSelectorRef) => {
        const key = formatPodRef(ref);
        if (!found.has(key)) found.set(key, firstPod(backend, ref, suite.podLabel, signal));
        return found.get(key)!;
      };
      for (const cell of step.cells) {
        await turn(signal);
        const resolved = await resolveCell(suite, backend, cell, podOf, signal);
        if (!(resolved.problem && cell.optional)) cells.push(resolved);
      }
      signal?.throwIfAborted();
      // Handed over the last step: the walk is complete, whether or not the caller asks for more.
      if (index === suite.steps.length - 1) finished = true;
      yield { index, step, cells, applyMs, convergenceMs, enforcement };
    }
    finished = true;
  } catch (e) {
    failure = e as Error;
    throw e;
  } finally {
    const stepsUndone = left.entries.length;
    await undo.undo(backend, left);
    if (left.entries.length > stepsUndone) keep = false;
    if (!kept) await setupUndo.undo(backend, left);
    else if (!keep || !finished) await kept.release(backend, left);
    // The first error is what went wrong; what cleanup could not remove is told after it, never instead of it.
    const cleanup = left.since(mark);
    if (cleanup && failure) failure.message += `; then ${cleanup}`;
    // biome-ignore lint/correctness/noUnsafeFinally: a walk that ended well (nothing to overrule) fails for what it left behind
    else if (cleanup) throw new Error(cleanup);
  }
}

async function resolveCell(suite: Suite, backend: ClusterBackend, cell: Cell, podOf: (ref: PodSelectorRef) => Promise<PodInfo | undefined>, signal?: AbortSignal): Promise<ResolvedCell> {
  const missing = (ref: PodSelectorRef) => `no pod ${formatPodRef(ref)} (label ${ref.label ?? suite.podLabel}=${ref.name}) is running at this step`;
  const pod = await podOf(cell.from);
  if (!pod) return { cell, problem: missing(cell.from) };
  const { host } = cell.to;
  let address: string;
  if (host.kind === 'name') address = host.name;
  else if (host.kind === 'pod-ip') {
    const ip = (await podOf(host.pod))?.ip;
    if (!ip) return { cell, problem: missing(host.pod) };
    address = ip;
  } else {
    const ip = await backend.serviceIP(host.service, signal);
    if (!ip) return { cell, problem: `no Service ${formatPodRef(host.service)} at this step` };
    address = ip;
  }
  const notRunnable = backend.unprobeable?.({ scheme: cell.to.scheme, host: address, image: pod.image });
  if (notRunnable) return { cell, pod, address, notRunnable };
  return { cell, pod, address, argv: buildProbeArgv(probeFor(cell.to, address, suite.connectTimeoutSeconds)) };
}
