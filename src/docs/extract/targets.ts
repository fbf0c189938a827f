// Which pod a command runs in and where its probe goes, as the text writes them: a variable set from
// `kubectl get pods -l app=...` ($FRONTEND), deploy/NAME or sts/NAME, the name of a pod the text created or a
// controller generated for a workload, and the probe's URL or HOST:PORT.
import { WORKLOAD_KINDS } from '../../manifest/kinds.ts';
import { kindOf, type KubeObject, type ObjectRef } from '../../manifest/objects.ts';
import type { Workload } from '../../manifest/schemas.ts';
import { workloadPodNames } from '../../model/cluster.ts';
import { formatPodRef, parseTarget, type PodSelectorRef, type Target } from '../../probe/target.ts';
import { podLookup, type DocCommand } from '../read/commands.ts';
import { PLACEHOLDER_MARK, variableIn } from '../read/shell.ts';
import type { WalkState } from './walk-state.ts';

/** The label the tutorial's pods are found by, as a suite's podLabel. */
export const POD_LABEL = 'app';
// A pod name kubectl generated from a Deployment: NAME-<replicaset hash>-<5 characters>.
const GENERATED_POD = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
// A pod name a ReplicaSet's or DaemonSet's controller generated: NAME-<5 characters> (generateName NAME-).
const GENERATED_SUFFIX = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

export type Resolved<T> = T | { problem: string };

/** `VAR=$(kubectl get pods -l ...)`: the variable stands for a pod only when the selector is the pod label alone. */
export function bind(state: WalkState, c: Extract<DocCommand, { kind: 'bind' }>) {
  const pod = lookedUp(c, `$${c.variable}`);
  state.vars.set(c.variable, 'why' in pod ? { field: c.field, why: pod.why } : { pod, field: c.field });
}

function lookedUp(c: Extract<DocCommand, { kind: 'bind' }>, what: string): { namespace: string; name: string } | { why: string } {
  const keys = Object.keys(c.labels);
  const name = c.labels[POD_LABEL];
  return name && keys.length === 1 ? { namespace: c.namespace ?? 'default', name } : { why: `${what} selects pods by ${keys.join(',')}, not by the label ${POD_LABEL} alone` };
}

const PLACEHOLDER = `a placeholder the reader fills in`;

export function podOf(state: WalkState, word: string, namespace: string | undefined): Resolved<{ ref: PodSelectorRef }> {
  if (word.includes(PLACEHOLDER_MARK)) return { problem: `the pod is ${PLACEHOLDER}` };
  const v = variableIn(word);
  const ns = namespace ?? 'default';
  if (v && v.before === '' && v.after === '') {
    const bound = state.vars.get(v.name);
    if (!bound) return { problem: `$${v.name} is never set before this line` };
    if (!bound.pod) return { problem: bound.why! };
    if (bound.field !== 'name') return { problem: `$${v.name} holds a pod IP, not a pod name` };
    if (bound.pod.namespace !== ns) return { problem: `$${v.name} is a pod in namespace ${bound.pod.namespace}, but the command runs in ${ns}` };
    return running(state, bound.pod);
  }
  // `kubectl exec $(kubectl get pods -l app=x -o name) -- ...`: the lookup written in place of the name.
  const inline = /^\$\(([\s\S]*)\)$/.exec(word);
  if (inline) {
    const lookup = podLookup(inline[1]!);
    if (!lookup) return { problem: `the pod is looked up by ${word}, which is not a kubectl get pods -l ... of a pod name` };
    const pod = lookedUp({ ...lookup, namespace: lookup.namespace ?? namespace }, 'the lookup');
    if ('why' in pod) return { problem: pod.why };
    if (pod.namespace !== ns) return { problem: `the lookup finds a pod in namespace ${pod.namespace}, but the command runs in ${ns}` };
    return running(state, pod);
  }
  const workload = workloadRef(word, ns);
  if (workload) {
    const object = state.model.cluster.get(workload);
    const what = workload.kind.toLowerCase();
    if (!object) return { problem: `no ${what} ${ns}/${workload.name} at this point of the tutorial` };
    const ref = workloadPods(state, object);
    return ref ? running(state, ref) : { problem: `${what} ${workload.name}'s pods have no ${POD_LABEL} label, and no label of its selector tells them from the other pods of ${ns}` };
  }
  // kubectl exec svc/NAME runs in a pod the Service selects: one selected by the pod label alone stands for them all.
  const service = /^(?:svc|service|services)\/([a-z0-9-]+)$/.exec(word);
  if (service) {
    const object = state.model.cluster.get({ kind: 'Service', namespace: ns, name: service[1]! }) as { spec?: { selector?: Record<string, string> } } | undefined;
    const selector = object?.spec?.selector ?? {};
    const name = selector[POD_LABEL];
    if (!name || Object.keys(selector).length !== 1) return { problem: object ? `service ${service[1]} does not select its pods by the label ${POD_LABEL} alone` : `no service ${ns}/${service[1]} at this point of the tutorial` };
    return running(state, { namespace: ns, name });
  }
  return literalPod(state, word.replace(/^(?:pod|pods|po)\//, ''), ns);
}

/**
 * A pod written by its name: a bare Pod (`kubectl run`, `kind: Pod`) is found by its labels; a name a controller
 * gave a workload's pod (generatedBy) stands for that workload's pods.
 */
function literalPod(state: WalkState, word: string, ns: string): Resolved<{ ref: PodSelectorRef }> {
  const pod = state.model.cluster.get({ kind: 'Pod', namespace: ns, name: word });
  if (pod) {
    const labels = pod.metadata.labels ?? {};
    const key = POD_LABEL in labels ? POD_LABEL : (Object.keys(labels).sort((a, b) => Number(b === 'run') - Number(a === 'run') || a.localeCompare(b))[0]);
    if (!key) return { problem: `pod ${ns}/${word} has no labels: the harness finds pods by label` };
    return running(state, { namespace: ns, name: labels[key]!, ...(key !== POD_LABEL && { label: key }) });
  }
  const owner = generatedBy(state, word, ns);
  if (owner) return podOf(state, `${owner.kind.toLowerCase()}/${owner.name}`, ns);
  return { problem: `no pod ${ns}/${word} at this point of the tutorial (pods are found by a variable set with kubectl get pods -l ${POD_LABEL}=..., by deploy/NAME or sts/NAME, or by the name of a pod the text created)` };
}

/**
 * A workload's pods as the harness finds them: by the pod label; else by a label of its selector that, at this point
 * of the tutorial, selects its pods and no other pod of the namespace (the EKS workshop's Deployments carry only
 * app.kubernetes.io/* labels, and kubectl exec deployment/ui picks a pod its selector selects).
 */
function workloadPods(state: WalkState, workload: KubeObject): PodSelectorRef | undefined {
  const namespace = workload.metadata.namespace ?? 'default';
  const { selector, template } = (workload as unknown as Workload).spec;
  const name = template.metadata.labels[POD_LABEL];
  if (name) return { namespace, name };
  const own = new Set(workloadPodNames(workload));
  const pods = state.model.cluster.pods().filter((p) => p.namespace === namespace);
  const matchLabels = selector.matchLabels ?? {};
  const key = Object.keys(matchLabels)
    .sort()
    .find((k) => {
      const selected = pods.filter((p) => p.labels[k] === matchLabels[k]);
      return selected.length > 0 && selected.every((p) => own.has(p.name));
    });
  return key === undefined ? undefined : { namespace, name: matchLabels[key]!, label: key };
}

/**
 * `TYPE/NAME` of a workload, as kubectl exec and logs take it (deploy/x, sts/x, statefulset.apps/x, rs/x, ds/x):
 * they run in the first pod its selector selects (kubernetes/kubectl@dee3483 pkg/polymorphichelpers/
 * attachablepodforobject.go, SelectorsForObject).
 */
export function workloadRef(word: string, namespace: string): ObjectRef | undefined {
  const m = /^([a-z]+)(?:\.apps)?\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(word);
  const kind = m && kindOf(m[1]!);
  return kind && WORKLOAD_KINDS.has(kind) ? { kind, namespace, name: m[2]! } : undefined;
}

/**
 * The workload whose pod a controller named so: a StatefulSet's NAME-ORDINAL, a Deployment's
 * NAME-<replicaset hash>-<5 characters>, a ReplicaSet's or DaemonSet's NAME-<5 characters>.
 */
export function generatedBy(state: WalkState, podName: string, namespace: string): ObjectRef | undefined {
  const exists = (kind: string, name: string | undefined) => (name !== undefined && state.model.cluster.get({ kind, namespace, name }) ? { kind, namespace, name } : undefined);
  const ordinal = /^(.+)-(\d+)$/.exec(podName);
  const set = ordinal && exists('StatefulSet', ordinal[1]);
  if (set && workloadPodNames(state.model.cluster.get(set)!).includes(podName)) return set;
  const controlled = GENERATED_SUFFIX.exec(podName)?.[1];
  return exists('Deployment', GENERATED_POD.exec(podName)?.[1]) ?? exists('ReplicaSet', controlled) ?? exists('DaemonSet', controlled);
}

function running(state: WalkState, ref: PodSelectorRef): Resolved<{ ref: PodSelectorRef }> {
  const key = ref.label ?? POD_LABEL;
  const found = state.model.cluster.pods().some((p) => p.namespace === ref.namespace && p.labels[key] === ref.name);
  return found ? { ref } : { problem: `no pod ${formatPodRef(ref)} (label ${key}=${ref.name}) runs at this point of the tutorial` };
}

export function targetOf(state: WalkState, url: string, method: string, headers: readonly string[]): Resolved<{ target: Target; text: string }> {
  if (url.includes(PLACEHOLDER_MARK)) return { problem: `the target is ${PLACEHOLDER}` };
  // The harness probes connections; a name lookup's answer (an address, NXDOMAIN) is not one of their outcomes.
  if (url.startsWith('dns://')) return { problem: `a name lookup of ${url.slice('dns://'.length)}: the harness probes connections, not DNS answers` };
  let written = url;
  const v = variableIn(url);
  if (v) {
    const bound = state.vars.get(v.name);
    if (!bound) return { problem: `$${v.name} is never set before this line` };
    if (!bound.pod) return { problem: bound.why! };
    if (bound.field !== 'ip') return { problem: `$${v.name} holds a pod name, which is not a host` };
    written = `${v.before}pod-ip:${formatPodRef(bound.pod)}${v.after}`;
  }
  // Headers go along as the suite writes them (curl's -H), so that L7 header rules judge them.
  const text = `${method === 'GET' ? written : `${method} ${written}`}${headers.map((h) => ` -H '${h}'`).join('')}`;
  const target = parseTarget(text);
  return target ? { target, text } : { problem: `curl target "${url}" is not a URL or HOST:PORT the harness can probe` };
}
