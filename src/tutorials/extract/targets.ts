// Which pod a command runs in and where its probe goes, as the text writes them: a variable set from
// `kubectl get pods -l app=...` ($FRONTEND), deploy/NAME or sts/NAME, the name of a pod the text created or a
// controller generated for a workload, and the probe's URL or HOST:PORT.
import { WORKLOAD_KINDS } from '../../manifest/kinds.ts';
import { kindOf, type ObjectRef } from '../../manifest/objects.ts';
import { workloadPodNames } from '../../model/workload-pods.ts';
import { formatPodRef, parseTarget, type PodSelectorRef, type Target } from '../../probe/target.ts';
import type { DocCommand } from '../read/doc-command.ts';
import { podLookup } from '../read/kubectl.ts';
import { PLACEHOLDER_MARK, variableIn } from '../read/shell.ts';
import type { ReadingState } from './reading-state.ts';

/** The label the tutorial's pods are found by, as a suite's podLabel. */
export const POD_LABEL = 'app';
// A pod name kubectl generated from a Deployment: NAME-<replicaset hash>-<5 characters>.
const GENERATED_POD = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
// A pod name a ReplicaSet's or DaemonSet's controller generated: NAME-<5 characters> (generateName NAME-).
const GENERATED_SUFFIX = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

export type Resolved<T> = T | { problem: string };

/** `VAR=$(kubectl get pods -l ...)`: the variable stands for a pod only when the selector is the pod label alone. */
export function bind(state: ReadingState, c: Extract<DocCommand, { kind: 'bind' }>) {
  const pod = lookedUp(state, c, `$${c.variable}`);
  state.vars.set(c.variable, 'why' in pod ? { field: c.field, why: pod.why } : { pod, field: c.field });
}

function lookedUp(state: ReadingState, c: Extract<DocCommand, { kind: 'bind' }>, what: string): PodSelectorRef | { why: string } {
  if (c.pod !== undefined) {
    const named = literalPod(state, c.pod, c.namespace ?? 'default');
    return 'ref' in named ? named.ref : { why: `${what} names pod ${c.pod}: ${named.problem}` };
  }
  const one = oneLabel(state, c.namespace ?? 'default', c.labels);
  return 'ref' in one ? one.ref : { why: `${what} selects pods by ${Object.keys(c.labels).join(',')}: ${one.why}` };
}

// Label keys that name an app, the likeliest to stand for a workload's pods, in this order; then the rest by name.
const NAMING_KEYS = [POD_LABEL, 'app.kubernetes.io/name', 'run', 'k8s-app', 'name'];
const rank = (key: string) => (NAMING_KEYS.includes(key) ? NAMING_KEYS.indexOf(key) : NAMING_KEYS.length);

/**
 * One of `labels` whose value alone selects, in `namespace`, the pods all of them select: the harness finds a
 * probe's pods by one label. Real apps label pods app.kubernetes.io/name and component (aws-samples/eks-workshop-v2's
 * base application: catalog and catalog-mysql share a name, and their component tells them apart).
 */
function oneLabel(state: ReadingState, namespace: string, labels: Record<string, string>): { ref: PodSelectorRef } | { why: string } {
  const keys = Object.keys(labels).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (keys.length === 0) return { why: 'they have no labels: the harness finds pods by label' };
  // The pods of workloads the model lacks count too: a label they carry could pick one of them on a cluster.
  const pods: { labels: Record<string, string> }[] = [...state.model.cluster.pods().filter((p) => p.namespace === namespace), ...state.unsimulated.filter((u) => u.namespace === namespace && u.pods).map((u) => ({ labels: u.pods! }))];
  const all = pods.filter((p) => keys.every((k) => p.labels[k] === labels[k])).length;
  // A key's pods include all of theirs: as many means the same.
  const key = keys.find((k) => pods.filter((p) => p.labels[k] === labels[k]).length === all);
  if (!key) return { why: `no one of the labels ${keys.map((k) => `${k}=${labels[k]}`).join(', ')} selects only the pods they select together: the harness finds pods by one label` };
  return { ref: { namespace, name: labels[key]!, ...(key !== POD_LABEL && { label: key }) } };
}

const PLACEHOLDER = `a placeholder the reader fills in`;

/** A probe's problem is a placeholder the text leaves to the reader (`<porter_ip>`). */
export const isPlaceholder = (problem: string | undefined) => problem?.endsWith(` is ${PLACEHOLDER}`) ?? false;

export function podOf(state: ReadingState, word: string, namespace: string | undefined): Resolved<{ ref: PodSelectorRef }> {
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
    const pod = lookedUp(state, { ...lookup, namespace: lookup.namespace ?? namespace }, 'the lookup');
    if ('why' in pod) return { problem: pod.why };
    if (pod.namespace !== ns) return { problem: `the lookup finds a pod in namespace ${pod.namespace}, but the command runs in ${ns}` };
    return running(state, pod);
  }
  const workload = workloadRef(word, ns);
  if (workload) {
    const object = state.model.cluster.get(workload) as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } } | undefined;
    const what = workload.kind.toLowerCase();
    if (!object) return { problem: `no ${what} ${ns}/${workload.name} at this point of the tutorial` };
    const one = oneLabel(state, ns, object.spec?.template?.metadata?.labels ?? {});
    return 'ref' in one ? running(state, one.ref) : { problem: `${what} ${workload.name}'s pods: ${one.why}` };
  }
  // kubectl exec svc/NAME runs in a pod the Service selects: one label that selects them all stands for them.
  const service = /^(?:svc|service|services)\/([a-z0-9-]+)$/.exec(word);
  if (service) {
    const object = state.model.cluster.get({ kind: 'Service', namespace: ns, name: service[1]! }) as { spec?: { selector?: Record<string, string> } } | undefined;
    if (!object) return { problem: `no service ${ns}/${service[1]} at this point of the tutorial` };
    const one = oneLabel(state, ns, object.spec?.selector ?? {});
    return 'ref' in one ? running(state, one.ref) : { problem: `service ${service[1]} selects pods by ${Object.keys(object.spec?.selector ?? {}).join(',') || 'nothing'}: ${one.why}` };
  }
  return literalPod(state, word.replace(/^(?:pod|pods|po)\//, ''), ns);
}

/**
 * A pod written by its name: a bare Pod (`kubectl run`, `kind: Pod`) is found by its labels; a name a controller
 * gave a workload's pod (generatedBy) stands for that workload's pods.
 */
function literalPod(state: ReadingState, word: string, ns: string): Resolved<{ ref: PodSelectorRef }> {
  const pod = state.model.cluster.get({ kind: 'Pod', namespace: ns, name: word });
  if (pod) {
    const one = oneLabel(state, ns, pod.metadata.labels ?? {});
    return 'ref' in one ? running(state, one.ref) : { problem: `pod ${ns}/${word}: ${one.why}` };
  }
  const owner = generatedBy(state, word, ns);
  if (owner) return podOf(state, `${owner.kind.toLowerCase()}/${owner.name}`, ns);
  return { problem: `no pod ${ns}/${word} at this point of the tutorial (pods are found by a variable set with kubectl get pods -l ${POD_LABEL}=..., by deploy/NAME or sts/NAME, or by the name of a pod the text created)` };
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
export function generatedBy(state: ReadingState, podName: string, namespace: string): ObjectRef | undefined {
  const exists = (kind: string, name: string | undefined) => (name !== undefined && state.model.cluster.get({ kind, namespace, name }) ? { kind, namespace, name } : undefined);
  const ordinal = /^(.+)-(\d+)$/.exec(podName);
  const set = ordinal && exists('StatefulSet', ordinal[1]);
  if (set && workloadPodNames(state.model.cluster.get(set)!).includes(podName)) return set;
  const controlled = GENERATED_SUFFIX.exec(podName)?.[1];
  return exists('Deployment', GENERATED_POD.exec(podName)?.[1]) ?? exists('ReplicaSet', controlled) ?? exists('DaemonSet', controlled);
}

function running(state: ReadingState, ref: PodSelectorRef): Resolved<{ ref: PodSelectorRef }> {
  const key = ref.label ?? POD_LABEL;
  const found = state.model.cluster.pods().some((p) => p.namespace === ref.namespace && p.labels[key] === ref.name);
  return found ? { ref } : { problem: `no pod ${formatPodRef(ref)} (label ${key}=${ref.name}) runs at this point of the tutorial` };
}

export function targetOf(state: ReadingState, url: string, method: string, headers: readonly string[]): Resolved<{ target: Target; text: string }> {
  if (url.includes(PLACEHOLDER_MARK)) return { problem: `the target is ${PLACEHOLDER}` };
  // A name lookup is of the name as written: a variable there is no name the harness can look up.
  if (url.startsWith('dns://') && variableIn(url)) return { problem: `a name lookup of ${url.slice('dns://'.length)}: the name is a variable` };
  let written = url;
  const host = podIpIn(state, url);
  if (host && 'problem' in host) return host;
  if (host) {
    // A suite writes a pod IP's port; curl takes 80 (443 for https) when the URL has none.
    const port = host.after.startsWith(':') || !/^(https?:\/\/)?$/.test(host.before) ? '' : host.before === 'https://' ? ':443' : ':80';
    written = `${host.before}pod-ip:${formatPodRef(host.pod)}${port}${host.after}`;
  }
  // Headers go along as the suite writes them (curl's -H), so that L7 header rules judge them.
  const text = `${method === 'GET' ? written : `${method} ${written}`}${headers.map((h) => ` -H '${h}'`).join('')}`;
  const target = parseTarget(text);
  if (target) return { target, text };
  return { problem: url.startsWith('dns://') ? `a name lookup of ${url.slice('dns://'.length)}: not a DNS name the harness can look up` : `curl target "${url}" is not a URL or HOST:PORT the harness can probe` };
}

/**
 * A pod's IP written in a URL: a variable bound to one (`$IP`), or the lookup itself
 * (`$(kubectl get po porter -o 'jsonpath={.status.podIP}')`), with the URL's text before and after it.
 */
function podIpIn(state: ReadingState, url: string): { pod: PodSelectorRef; before: string; after: string } | { problem: string } | undefined {
  const inline = /\$\(([^()]*)\)/.exec(url);
  if (inline) {
    const lookup = podLookup(inline[1]!, 'ip');
    if (!lookup) return { problem: `the host is looked up by $(${inline[1]}), which is not a kubectl get pods of a pod IP` };
    const pod = lookedUp(state, lookup, 'the lookup');
    if ('why' in pod) return { problem: pod.why };
    return { pod, before: url.slice(0, inline.index), after: url.slice(inline.index + inline[0].length) };
  }
  const v = variableIn(url);
  if (!v) return undefined;
  const bound = state.vars.get(v.name);
  if (!bound) return { problem: `$${v.name} is never set before this line` };
  if (!bound.pod) return { problem: bound.why! };
  if (bound.field !== 'ip') return { problem: `$${v.name} holds a pod name, which is not a host` };
  return { pod: bound.pod, before: v.before, after: v.after };
}
