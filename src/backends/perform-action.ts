// Carries out one suite action on a backend. The runner's walk records what to undo as it goes; the tutorial reading
// tries the text's commands on the model: both go through here, so that both mean the same by an action.
import type { ClusterBackend, PolicyChange } from './backend.ts';
import { WORKLOAD_KINDS } from '../manifest/kinds.ts';
import { formatRef, refOf, type ObjectRef } from '../manifest/objects.ts';
import { formatPodRef, podRefLabels } from '../probe/target.ts';
import type { Action } from '../suite/types.ts';

/** Told what an action is about to change, before it changes it. */
export interface ActionRecorder {
  /** Before an apply: one that fails half-way has still created some of them. */
  creating(refs: ObjectRef[]): void;
  /** Before a relabel: the values the labels it sets had (null: absent). */
  relabelling(ref: ObjectRef, restore: Record<string, string | null>): void;
  /** Before switching policy audit mode: whether it will be on. */
  auditing(on: boolean): void;
}

export async function performAction(backend: ClusterBackend, action: Action, podLabel: string, record?: ActionRecorder, signal?: AbortSignal): Promise<PolicyChange> {
  if (action.kind === 'apply') {
    const refs = action.objects.map((o) => refOf(o));
    record?.creating(refs);
    await backend.apply(action.objects, signal);
    const workloads = refs.filter((r) => WORKLOAD_KINDS.has(r.kind) || r.kind === 'Pod' || r.kind === 'Service');
    if (workloads.length) await backend.waitReady(workloads, signal);
    return { applied: refs, removed: [], relabelled: [] };
  }
  if (action.kind === 'delete') {
    await backend.remove(action.refs, { signal });
    return { applied: [], removed: action.refs, relabelled: [] };
  }
  if (action.kind === 'policy-audit') {
    if (!backend.setPolicyAudit) throw new Error(`the ${backend.name} backend cannot switch Cilium's policy audit mode`);
    record?.auditing(action.on);
    await backend.setPolicyAudit(action.on);
    return { applied: [], removed: [], relabelled: [] };
  }
  const refs: ObjectRef[] = [];
  if ('namespace' in action.target) refs.push({ kind: 'Namespace', name: action.target.namespace });
  else {
    const { pod } = action.target;
    const pods = await backend.pods({ namespace: pod.namespace, labels: podRefLabels(pod, podLabel) }, signal);
    if (pods.length === 0) throw new Error(`no pod ${formatPodRef(pod)} (label ${pod.label ?? podLabel})`);
    refs.push(...pods.map((p) => ({ kind: 'Pod', namespace: p.namespace, name: p.name })));
  }
  for (const ref of refs) {
    const before = await backend.labels(ref, signal);
    if (!before) throw new Error(`${formatRef(ref)} not found`);
    record?.relabelling(ref, Object.fromEntries(Object.keys(action.set).map((k) => [k, before[k] ?? null])));
    await backend.setLabels(ref, action.set, signal);
  }
  return { applied: [], removed: [], relabelled: refs };
}
