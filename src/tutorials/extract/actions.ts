// What each command of the text does to the reading: kubectl apply, create, delete, label, scale, run and expose, and
// the programs the docs config describes, become changes tried on the model (changes.ts); probes, variables, shells
// and hubble go to the parts of the reading that follow them.
import { formatRef, isNamespaced, refOf, type KubeObject, type ObjectRef } from '../../manifest/objects.ts';
import { workloadPodNames } from '../../model/workload-pods.ts';
import { AGNHOST_IMAGE } from '../../probe/command.ts';
import type { DocCommand, RunCommand } from '../read/doc-command.ts';
import { loopProbe } from '../read/in-pod.ts';
import { auditMode } from './audit-mode.ts';
import { act, at, deleteRefs, lose, similar } from './changes.ts';
import { forgetProbes, probeCommand } from './claims.ts';
import { observeFlows, showsFlows } from './flow-claims.ts';
import { applyFiles, deleteFiles } from './manifest-files.ts';
import { endShellsIn, openSession } from './sessions.ts';
import { bind, podOf, workloadRef } from './targets.ts';
import { find, type Place, type ReadingState } from './reading-state.ts';

/** One command of a line (outside a pod's shell, or typed into one). */
export async function runCommand(state: ReadingState, c: DocCommand, place: Place, text: string): Promise<void> {
  // A command that only switches policy audit mode (or restarts the agents) is followed whole here.
  const followed = await auditMode(state, place, text);
  if (c.kind === 'probe') return probeCommand(state, c, place, text);
  // `done`, `fi` and the like end a loop or a branch; `echo` and `printf` print the text's own words (`probe || echo
  // "Request blocked"`): the output after them is still the probes'.
  if (c.kind === 'syntax' || (c.kind === 'other' && (c.program === 'echo' || c.program === 'printf'))) return;
  forgetProbes(state);
  switch (c.kind) {
    case 'bind':
      return bind(state, c);
    case 'logs':
      return logsCommand(state, c, place, text);
    case 'apply':
      return applyFiles(state, c.files, c.namespace, { recursive: c.recursive ?? false, kustomize: c.kustomize ?? false }, place, text);
    case 'delete-files':
      return deleteFiles(state, c.files, c.namespace, { recursive: c.recursive ?? false, kustomize: c.kustomize ?? false }, place, text);
    case 'delete': {
      const unknown = c.targets.find((t) => !t.kindName);
      if (unknown) return lose(state, place, `kubectl delete ${unknown.resource}: not a kind the harness models`);
      const refs = c.targets.map((t): ObjectRef => (isNamespaced(t.kindName!) ? { kind: t.kindName!, name: t.name, namespace: c.namespace ?? 'default' } : { kind: t.kindName!, name: t.name }));
      return deleteRefs(state, refs, place, text);
    }
    case 'run':
      return kubectlRun(state, c, place, text);
    case 'session':
      return openSession(state, c, place);
    case 'create':
      return act(state, place, text, { kind: 'apply', objects: c.objects, ...at(place, text) });
    case 'expose':
      return expose(state, c, place, text);
    case 'scale': {
      const ref = { kind: c.kindName, namespace: c.namespace ?? 'default', name: c.name };
      const current = state.model.cluster.get(ref) as KubeObject | undefined;
      if (!current) return find(state, 'lint', 'scale-never-created', place, `${text}: no earlier step creates ${formatRef(ref)}${similar(state, ref)}`);
      const scaled = { ...current, spec: { ...(current.spec as object), replicas: c.replicas } };
      return act(state, place, text, { kind: 'apply', objects: [scaled], ...at(place, text) });
    }
    case 'external':
      if (followed) return;
      return external(state, c.program, place, text);
    case 'skipped':
      return find(state, 'warning', 'probe-not-read', place, `${c.why}: not checked`);
    case 'create-namespace':
      return act(state, place, text, {
        kind: 'apply',
        objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.name } }],
        ...at(place, text),
      });
    case 'label': {
      if (c.target === 'namespace') {
        return act(state, place, text, { kind: 'label', target: { namespace: c.name }, set: c.set, ...at(place, text) });
      }
      const pod = podOf(state, c.name, c.namespace);
      if ('problem' in pod) return lose(state, place, `${text}: ${pod.problem}`);
      return act(state, place, text, { kind: 'label', target: { pod: pod.ref }, set: c.set, ...at(place, text) });
    }
    case 'restart': {
      // New pods from the same template: the same labels, so the same verdicts, unless the text relabelled the old ones.
      const ref = { kind: c.kindName, namespace: c.namespace ?? 'default', name: c.name };
      const workload = state.model.cluster.get(ref);
      // A workload the text never made (the Cilium agents, CoreDNS) runs no pod the model knows: nothing it follows changes.
      if (!workload) return;
      if (state.model.cluster.relabelled(ref.namespace, workloadPodNames(workload))) return lose(state, place, `${text}: its pods were relabelled, and the new ones come without those labels`);
      return;
    }
    case 'unsupported':
      if (followed) return;
      return lose(state, place, c.why);
    case 'other':
      if (showsFlows(text)) observeFlows(state, place, text);
      return;
  }
}

/** `kubectl run`: a pod with the labels kubectl gives it, then its probe or its shell; --rm deletes it after. */
async function kubectlRun(state: ReadingState, c: RunCommand, place: Place, text: string) {
  const namespace = c.namespace ?? 'default';
  await endShellsIn(state, c.namespace, c.name);
  // A client (a shell, a one-shot probe) runs agnhost, which has curl, nc and `agnhost connect`, so that the
  // harness's probe runs in it whatever image the text names (policies see labels and namespace, not images);
  // a server keeps its image and port.
  const client = c.session || c.probe !== undefined || c.port === undefined;
  const container = client ? { name: c.name, image: AGNHOST_IMAGE, args: ['pause'] } : { name: c.name, image: c.image, ports: [{ containerPort: c.port }] };
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: c.name, namespace, labels: c.labels }, spec: { containers: [container] } };
  const objects: KubeObject[] = [pod];
  // --expose: a Service of the pod's name selecting its labels, on --port.
  if (c.expose) objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: c.name, namespace }, spec: { selector: c.labels, ports: [{ port: c.expose.port, targetPort: c.expose.port }] } });
  await act(state, place, text, { kind: 'apply', objects, ...at(place, text) }, c.rm);
  const remove = c.rm ? refOf(pod) : undefined;
  const created = state.model.cluster.get(refOf(pod)) ? refOf(pod) : undefined;
  if (c.probe) {
    await runCommand(state, { kind: 'probe', namespace: c.namespace, pod: c.name, call: c.probe }, place, text);
    // The output shown after the command is still this probe's: the delete leaves it pending.
    if (remove) await act(state, place, `${text} (--rm deletes pod ${c.name})`, { kind: 'delete', refs: [remove], ...at(place, text) }, true);
  } else if (c.session) openSession(state, c, place, created);
}

/**
 * `kubectl expose deployment|replicaset|pod NAME --port`: a Service selecting what the workload's selector (or the pod's
 * labels) does (kubectl pkg/polymorphichelpers/mapbasedselectorforobject.go: no StatefulSet or DaemonSet).
 */
async function expose(state: ReadingState, c: Extract<DocCommand, { kind: 'expose' }>, place: Place, text: string) {
  const namespace = c.namespace ?? 'default';
  const target = state.model.cluster.get({ kind: c.kindName, namespace, name: c.name }) as { metadata: { labels?: Record<string, string> }; spec?: { selector?: { matchLabels?: Record<string, string> } } } | undefined;
  const selector = c.kindName === 'Deployment' || c.kindName === 'ReplicaSet' ? target?.spec?.selector?.matchLabels : c.kindName === 'Pod' ? target?.metadata.labels : undefined;
  if (!selector) return lose(state, place, `${text}: ${target ? `${c.kindName} ${c.name} has no selector the harness reads` : `no ${c.kindName} ${namespace}/${c.name} at this point of the tutorial`}`);
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: c.service, namespace }, spec: { selector, ports: [{ port: c.port, targetPort: c.targetPort ?? c.port, protocol: c.protocol }] } };
  await act(state, place, text, { kind: 'apply', objects: [service], ...at(place, text) });
}

/** helm, cilium, minikube, kind: the docs config says what they leave behind; without it, a warning. */
async function external(state: ReadingState, program: string, place: Place, text: string) {
  const rule = state.config.commands.find((r) => text.includes(r.match));
  if (!rule) {
    return find(state, 'warning', 'not-modelled', place, `${text}: ${program} changes the cluster in ways the harness does not see; the claims after it are checked as if it changed nothing (say what it does in the docs config's commands)`);
  }
  if (rule.lost) return lose(state, place, `${text}: the docs config says the state is unknown after it`);
  const namespaces = rule.creates.filter((r) => r.kind === 'Namespace');
  for (const r of rule.creates) state.created.add(formatRef(r));
  if (namespaces.length) await act(state, place, text, { kind: 'apply', objects: namespaces.map((r) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.name } })), ...at(place, text) });
}

interface Container {
  name?: string;
  command?: string[];
  args?: string[];
}

/**
 * `kubectl logs` of a pod (or a Deployment's) whose own command is a client loop: the responses it shows are that
 * loop's probe's claims, as of this point of the text. Logs of anything else claim nothing.
 */
function logsCommand(state: ReadingState, c: Extract<DocCommand, { kind: 'logs' }>, place: Place, text: string) {
  const ns = c.namespace ?? 'default';
  // A bare name is a pod's, or else (as the text may shorten it) a Deployment's.
  const workload = workloadRef(c.pod, ns) ?? (state.model.cluster.get({ kind: 'Pod', namespace: ns, name: c.pod }) ? undefined : { kind: 'Deployment', namespace: ns, name: c.pod });
  const object = state.model.cluster.get(workload ?? { kind: 'Pod', namespace: ns, name: c.pod }) as { spec?: { containers?: Container[]; template?: { spec?: { containers?: Container[] } } } } | undefined;
  const containers = (workload ? object?.spec?.template?.spec?.containers : object?.spec?.containers) ?? [];
  for (const container of containers) {
    const probe = loopProbe([...(container.command ?? []), ...(container.args ?? [])], workload ? `${workload.kind.toLowerCase()}/${workload.name}` : c.pod, c.namespace);
    if (probe) return probeCommand(state, probe, place, `${text} (${container.name ?? 'its container'} runs ${probe.call.client} ${probe.call.url} in a loop)`);
  }
}
