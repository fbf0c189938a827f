// The kubectl commands a tutorial runs, verb by verb: which objects they apply, create, delete, label, expose, scale
// or restart, the pods they exec into or debug, and the pods `kubectl get pods` binds to a variable.
import { kindOf } from '../../manifest/objects.ts';
import type { DocCommand, PodField } from './doc-command.ts';
import { inPod, SHELLS } from './in-pod.ts';
import { kubectlCreate, kubectlRun } from './kubectl-generators.ts';
import { has, interactive, kubectlArgs, resourceTargets, value, type KubectlArgs } from './kubectl-args.ts';
import { parseShellLine, type Pipeline } from './shell.ts';

const CHANGING_VERBS = new Set(['edit', 'patch', 'set', 'annotate', 'autoscale', 'taint', 'cordon', 'drain']);
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/** kubectl's words after `kubectl` (or calicoctl's: the same manifests), as a command the reader follows. */
export function kubectl(words: string[]): DocCommand {
  const a = kubectlArgs(words);
  const [verb, ...args] = a.args;
  const { namespace } = a;
  switch (verb) {
    case 'apply':
    case 'create':
    case 'replace':
      return kubectlApply(a, verb, args);
    case 'delete':
      return kubectlDelete(a, args);
    case 'label':
      return kubectlLabel(args, namespace);
    case 'exec':
      return kubectlExec(a, args);
    case 'logs': {
      const [pod] = args;
      return pod ? { kind: 'logs', namespace, pod: pod.replace(/^(?:pod|pods|po)\//, '') } : { kind: 'other', program: 'kubectl logs' };
    }
    case 'debug':
      return kubectlDebug(a, args);
    case 'run':
      return kubectlRun(a, args);
    case 'expose':
      return kubectlExpose(a, args);
    case 'scale':
      return kubectlScale(a, args);
    case 'rollout':
      return kubectlRollout(args, namespace);
    default:
      if (verb && CHANGING_VERBS.has(verb)) return { kind: 'unsupported', why: `kubectl ${verb} changes the cluster in a way the harness does not follow` };
      return { kind: 'other', program: 'kubectl' };
  }
}

/** The manifests a command takes: `-f` files (`-` for stdin), `-R`, and `-k` a kustomization folder. */
function manifestFlags(a: KubectlArgs): { files: string[]; recursive: boolean; kustomization?: string } {
  // -f is a string slice, repeated or comma-separated, and -R a bool (kubernetes/cli-runtime@5eb6a64
  // pkg/genericclioptions/filename_flags.go, FileNameFlags.AddFlags: flags.StringSliceVarP, flags.BoolVarP).
  const files = value(a, '-f', '--filename')
    .flatMap((f) => f.split(','))
    .filter(Boolean);
  const recursive = has(a, '-R', '--recursive');
  // -k is one folder (kubernetes/cli-runtime@69e8693 pkg/genericclioptions/filename_flags.go: Kustomize is a string
  // flag, StringVarP; builder.go's KustomizeVisitor builds it).
  const kustomization = value(a, '-k', '--kustomize').at(-1);
  return { files, recursive, kustomization };
}

function kubectlApply(a: KubectlArgs, verb: 'apply' | 'create' | 'replace', args: string[]): DocCommand {
  const { files, recursive, kustomization } = manifestFlags(a);
  const { namespace } = a;
  if (kustomization !== undefined && verb !== 'replace') return { kind: 'apply', verb, files: [kustomization], namespace, kustomize: true };
  if (files.includes('-')) return { kind: 'stdin', verb: 'apply', namespace };
  if (files.length) return { kind: 'apply', verb, files, namespace, recursive };
  if (verb === 'create') return kubectlCreate(a, args);
  return { kind: 'other', program: 'kubectl' };
}

function kubectlDelete(a: KubectlArgs, args: string[]): DocCommand {
  const { files, recursive, kustomization } = manifestFlags(a);
  const { namespace } = a;
  if (kustomization !== undefined) return { kind: 'delete-files', files: [kustomization], namespace, kustomize: true };
  if (files.includes('-')) return { kind: 'stdin', verb: 'delete', namespace };
  if (files.length) return { kind: 'delete-files', files, namespace, recursive };
  const targets = resourceTargets(args);
  if (targets.length === 0) return { kind: 'unsupported', why: `kubectl delete ${args.join(' ')}: ${has(a, '-l', '--selector', '--all') ? 'deleting by selector or --all is not followed' : 'no kind and name'}` };
  return { kind: 'delete', targets, namespace };
}

function kubectlLabel(args: string[], namespace: string | undefined): DocCommand {
  const named = args[0]?.includes('/') ? [args[0].slice(0, args[0].indexOf('/')), args[0].slice(args[0].indexOf('/') + 1), ...args.slice(1)] : args;
  const [resource, name, ...pairs] = named;
  const kind = resource && kindOf(resource);
  const target = kind === 'Namespace' ? 'namespace' : kind === 'Pod' ? 'pod' : undefined;
  if (!target || !name) return { kind: 'unsupported', why: `kubectl label ${args.join(' ')} is not read (only a namespace or a pod by name)` };
  const set: Record<string, string | null> = {};
  for (const pair of pairs) {
    const m = /^([\w./-]+)(?:=(.*)|(-))$/.exec(pair);
    if (!m) return { kind: 'unsupported', why: `"${pair}" is not KEY=VALUE or KEY-` };
    set[m[1]!] = m[3] ? null : m[2]!;
  }
  return { kind: 'label', target, name, set, namespace };
}

function kubectlExec(a: KubectlArgs, args: string[]): DocCommand {
  const { namespace } = a;
  const [pod, ...older] = args;
  if (!pod) return { kind: 'other', program: 'kubectl exec' };
  // The command follows `--`, or, in the older form kubectl still takes, the pod's name.
  const command = a.rest.length ? a.rest : older;
  if (interactive(a) && command.length === 1 && SHELLS.has(command[0]!)) return { kind: 'session', namespace, pod };
  return inPod(command, pod, namespace);
}

function kubectlExpose(a: KubectlArgs, args: string[]): DocCommand {
  const { namespace } = a;
  const [target] = resourceTargets(args);
  const port = Number(value(a, '--port').at(-1));
  if (!target?.kindName || !Number.isInteger(port) || port <= 0) return { kind: 'unsupported', why: `kubectl expose ${args.join(' ')}: only a deployment, replicaset or pod by name with --port is read` };
  const targetText = value(a, '--target-port').at(-1);
  const targetPort = targetText === undefined ? undefined : /^\d+$/.test(targetText) ? Number(targetText) : targetText;
  return { kind: 'expose', kindName: target.kindName, name: target.name, namespace, service: value(a, '--name').at(-1) ?? target.name, port, targetPort, protocol: (value(a, '--protocol').at(-1) ?? 'TCP').toUpperCase() };
}

function kubectlScale(a: KubectlArgs, args: string[]): DocCommand {
  const { namespace } = a;
  const [target] = resourceTargets(args);
  const replicas = Number(value(a, '--replicas').at(-1));
  // The kinds with a scale subresource among those the harness models.
  if (!target?.kindName || !SCALABLE.has(target.kindName) || !Number.isInteger(replicas) || replicas < 0) {
    return { kind: 'unsupported', why: `kubectl scale ${args.join(' ')}: only a deployment, replicaset or statefulset by name with --replicas is read` };
  }
  return { kind: 'scale', kindName: target.kindName, name: target.name, replicas, namespace };
}

function kubectlRollout(args: string[], namespace: string | undefined): DocCommand {
  // status watches and history lists (kubernetes/kubectl@dee3483 pkg/cmd/rollout): neither changes the cluster.
  if (args[0] === 'status' || args[0] === 'history') return { kind: 'other', program: `kubectl rollout ${args[0]}` };
  if (args[0] === 'restart') {
    const [target] = resourceTargets(args.slice(1));
    // The kinds kubectl restarts (kubernetes/kubectl@dee3483 pkg/polymorphichelpers/objectrestarter.go).
    if (target?.kindName && ['Deployment', 'DaemonSet', 'StatefulSet'].includes(target.kindName)) return { kind: 'restart', kindName: target.kindName, name: target.name, namespace };
  }
  return { kind: 'unsupported', why: `kubectl rollout ${args.join(' ')} changes the cluster in a way the harness does not follow` };
}

/**
 * `kubectl debug -it POD --image=I [-- CMD]` adds a container to POD, in its network namespace: what it runs is POD's
 * (a shell without CMD, as -it is for). `--copy-to=NEW` debugs a copy named NEW instead; `node/NAME` opens a shell on
 * the node, where no client is a pod's.
 */
function kubectlDebug(a: KubectlArgs, args: string[]): DocCommand {
  const [target] = args;
  if (!target) return { kind: 'other', program: 'kubectl debug' };
  const node = /^(?:node|nodes|no)\/(.+)$/.exec(target)?.[1];
  if (node) return interactive(a) ? { kind: 'session', pod: target, node } : { kind: 'other', program: 'kubectl debug' };
  const pod = value(a, '--copy-to').at(-1) ?? target;
  if (a.rest.length === 0 || (a.rest.length === 1 && SHELLS.has(a.rest[0]!))) return interactive(a) ? { kind: 'session', namespace: a.namespace, pod } : { kind: 'other', program: 'kubectl debug' };
  return inPod(a.rest, pod, a.namespace);
}

/** The pod a `$(kubectl get pods -l ... -o name)` written in place of a pod name looks up, if the reader can follow it. */
export function podLookup(substitution: string, field: PodField = 'name'): Extract<DocCommand, { kind: 'bind' }> | undefined {
  try {
    const pipeline = parseShellLine(substitution)[0];
    const found = pipeline && bindingOf('', pipeline);
    return found?.kind === 'bind' && found.field === field ? found : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `kubectl get pods -l app=x -o jsonpath='{.items[0].metadata.name}'` (or `-o name`: pod/NAME, which kubectl exec
 * takes as well), or `-o json | jq -r '.items[0].status.podIP'`.
 */
export function bindingOf(variable: string, pipeline: Pipeline): DocCommand | undefined {
  const [first, second] = pipeline;
  if (first?.[0] !== 'kubectl') return undefined;
  const a = kubectlArgs(first.slice(1));
  if (a.args[0] !== 'get' || !['pods', 'pod', 'po'].includes(a.args[1] ?? '')) return undefined;
  const selector = value(a, '-l', '--selector').at(-1);
  const output = value(a, '-o', '--output').at(-1) ?? '';
  const path = output.startsWith('jsonpath=') ? output.slice('jsonpath='.length) : output === 'json' && second?.[0] === 'jq' ? second.at(-1) : undefined;
  const field = /status\.podIP/.test(path ?? '') ? 'ip' : /metadata\.name/.test(path ?? '') || output === 'name' ? 'name' : undefined;
  // `kubectl get po porter -o jsonpath='{.status.podIP}'`: one pod, by its name.
  const named = a.args[2];
  if (!selector && named && field === 'ip' && /^\.?status\.podIP|^\{\.status\.podIP\}$/.test(path ?? '')) return { kind: 'bind', variable, namespace: a.namespace, labels: {}, pod: named, field };
  if (!selector || !field) return undefined;
  const labels: Record<string, string> = {};
  for (const term of selector.split(',')) {
    const m = /^([\w./-]+)==?([\w.-]+)$/.exec(term);
    if (!m) return undefined;
    labels[m[1]!] = m[2]!;
  }
  return { kind: 'bind', variable, namespace: a.namespace, labels, field };
}
