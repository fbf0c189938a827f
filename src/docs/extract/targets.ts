// Which pod a command runs in and where its probe goes, as the text writes them: a variable set from
// `kubectl get pods -l app=...` ($FRONTEND), deploy/NAME, the name of a pod the text created or kubectl generated
// for a Deployment, and the probe's URL or HOST:PORT.
import { formatPodRef, parseTarget, type PodSelectorRef, type Target } from '../../probe/target.ts';
import { podLookup, type DocCommand } from '../read/commands.ts';
import { PLACEHOLDER_MARK, variableIn } from '../read/shell.ts';
import type { WalkState } from './walk-state.ts';

/** The label the tutorial's pods are found by, as a suite's podLabel. */
export const POD_LABEL = 'app';
// A pod name kubectl generated from a Deployment: NAME-<replicaset hash>-<5 characters>.
export const GENERATED_POD = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

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
  const deploy = /^(?:deploy|deployment|deployments)\/([a-z0-9-]+)$/.exec(word);
  if (deploy) {
    const object = state.model.cluster.get({ kind: 'Deployment', namespace: ns, name: deploy[1]! }) as DeploymentShape | undefined;
    if (!object) return { problem: `no deployment ${ns}/${deploy[1]} at this point of the tutorial` };
    const name = object.spec?.template?.metadata?.labels?.[POD_LABEL];
    if (name) return running(state, { namespace: ns, name });
    const own = ownLabel(state, ns, object);
    if (!own) return { problem: `deployment ${deploy[1]}'s pods have no ${POD_LABEL} label, and no label of theirs selects them alone` };
    return running(state, { namespace: ns, name: own.value, label: own.key });
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
 * A pod written by its name: a bare Pod (`kubectl run`, `kind: Pod`) is found by its labels; a name kubectl
 * generated for a Deployment's pod (NAME-<hash>-<id>) stands for that Deployment's pods.
 */
function literalPod(state: WalkState, word: string, ns: string): Resolved<{ ref: PodSelectorRef }> {
  const pod = state.model.cluster.get({ kind: 'Pod', namespace: ns, name: word });
  if (pod) {
    const labels = pod.metadata.labels ?? {};
    const key = POD_LABEL in labels ? POD_LABEL : (Object.keys(labels).sort((a, b) => Number(b === 'run') - Number(a === 'run') || a.localeCompare(b))[0]);
    if (!key) return { problem: `pod ${ns}/${word} has no labels: the harness finds pods by label` };
    return running(state, { namespace: ns, name: labels[key]!, ...(key !== POD_LABEL && { label: key }) });
  }
  const generated = GENERATED_POD.exec(word)?.[1];
  if (generated && state.model.cluster.get({ kind: 'Deployment', namespace: ns, name: generated })) return podOf(state, `deploy/${generated}`, ns);
  return { problem: `no pod ${ns}/${word} at this point of the tutorial (pods are found by a variable set with kubectl get pods -l ${POD_LABEL}=..., by deploy/NAME, or by the name of a pod the text created)` };
}

interface DeploymentShape {
  spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string> } } };
}

/**
 * A label of a Deployment's pods that only they carry in their namespace (`app.kubernetes.io/name=ui`), for
 * Deployments labelled the recommended way rather than with `app`: its selector's labels first, in the order written.
 */
function ownLabel(state: WalkState, ns: string, deployment: DeploymentShape): { key: string; value: string } | undefined {
  const labels = deployment.spec?.template?.metadata?.labels ?? {};
  const selector = Object.entries(deployment.spec?.selector?.matchLabels ?? {});
  // The pods of workloads the model lacks count too: a label they carry could pick one of them on a cluster.
  const pods = [...state.model.cluster.pods().filter((p) => p.namespace === ns), ...state.unsimulated.filter((u) => u.namespace === ns && u.pods).map((u) => ({ labels: u.pods! }))];
  const own = (p: { labels: Record<string, string> }) => selector.length > 0 && selector.every(([k, v]) => p.labels[k] === v);
  const candidates = [...selector, ...Object.entries(labels).filter(([k]) => !selector.some(([s]) => s === k))];
  const [key, value] = candidates.find(([k, v]) => labels[k] === v && pods.some(own) && pods.every((p) => p.labels[k] !== v || own(p))) ?? [];
  return key === undefined ? undefined : { key, value: value! };
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
