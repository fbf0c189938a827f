// What a tutorial's command line does, as far as connectivity goes: kubectl commands that change objects or labels
// (as kubectl's own generators write them: run, create deployment, expose, scale), shell variables bound to a pod's
// name or IP, probes run in a pod (`kubectl exec`, `kubectl run -- CMD`, or typed into its shell), and other programs
// that change the cluster. Anything else is `other`.
import { kindOf, type KubeObject } from '../../manifest/objects.ts';
import { isProbeClient, otherClient, probeCall, type ProbeCall } from './probe-commands.ts';
import { assignmentOf, parseShellLine, type Pipeline } from './shell.ts';
import { defaultTcpPort, lookupImage } from '../../model/images/catalog.ts';

export type PodField = 'name' | 'ip';

/** A `kubectl run`: a pod with its labels (kubectl's default is run=NAME), and what it runs. */
export interface RunCommand {
  kind: 'run';
  name: string;
  namespace?: string;
  image: string;
  labels: Record<string, string>;
  /** --rm: the pod is deleted when the command it runs ends. */
  rm: boolean;
  /** -it running a shell: the lines after it are typed into that shell, until `exit` or the block ends. */
  session: boolean;
  /** The command after `--`, when it is a probe: run once in the new pod. */
  probe?: ProbeCall;
  /** --expose --port=P: a Service of the same name in front of it. */
  expose?: { port: number };
  /** The port the pod serves (--port, or where its image listens). */
  port?: number;
}

export type DocCommand =
  /** `-R`: a folder's manifests in its subfolders too; `kustomize`: the files are kustomization folders (`-k DIR`). */
  | { kind: 'apply'; verb: 'apply' | 'create' | 'replace'; files: string[]; namespace?: string; recursive?: boolean; kustomize?: boolean }
  | { kind: 'delete-files'; files: string[]; namespace?: string; recursive?: boolean; kustomize?: boolean }
  /** `kubectl apply|create -f -` (or `delete -f -`): the manifests come from the here-document the line opens, or from `echo '...' |`. */
  | { kind: 'stdin'; verb: 'apply' | 'delete'; namespace?: string; content?: string }
  /** `echo '...' > FILE`, `cat <<EOF > FILE`: the text (else the here-document's) is what FILE holds from then on. */
  | { kind: 'write'; file: string; content?: string }
  | { kind: 'delete'; targets: { resource: string; kindName?: string; name: string }[]; namespace?: string }
  | { kind: 'create-namespace'; name: string }
  | { kind: 'label'; target: 'namespace' | 'pod'; name: string; set: Record<string, string | null>; namespace?: string }
  /** `VAR=$(kubectl get pods -l ...)`, or of one pod by its name (`pod`; `labels` then empty). */
  | { kind: 'bind'; variable: string; namespace?: string; labels: Record<string, string>; pod?: string; field: PodField }
  | { kind: 'probe'; namespace?: string; pod: string; call: ProbeCall }
  /** `kubectl logs POD|deploy/NAME|sts/NAME`: what the pod's own command printed (a client loop's responses). */
  | { kind: 'logs'; namespace?: string; pod: string }
  | RunCommand
  /** `kubectl exec -it POD -- sh`, `kubectl debug -it POD`: the lines after it are typed into the pod's shell (`node/NAME`: a node's). */
  | { kind: 'session'; namespace?: string; pod: string; node?: string }
  | { kind: 'create'; objects: KubeObject[] }
  | { kind: 'expose'; kindName: string; name: string; namespace?: string; service: string; port: number; targetPort?: number | string; protocol: string }
  | { kind: 'scale'; kindName: string; name: string; replicas: number; namespace?: string }
  /** `kubectl rollout restart TYPE/NAME`: the workload's pods replaced by new ones from the same template. */
  | { kind: 'restart'; kindName: string; name: string; namespace?: string }
  /** A command other than kubectl that changes the cluster (helm, cilium, minikube, kind). */
  | { kind: 'external'; program: string }
  /** kubectl that changes the cluster in a way the harness cannot follow (stdin, edit, patch, ...). */
  | { kind: 'unsupported'; why: string }
  /** A command that could be a probe but is not one the harness runs (nslookup, ping -6, curl on the reader's machine). */
  | { kind: 'skipped'; why: string }
  /** Shell syntax that only closes a loop or a branch (`done`, `fi`): no command, and the output after it is still its probes'. */
  | { kind: 'syntax' }
  | { kind: 'other'; program: string };

const CHANGING_VERBS = new Set(['edit', 'patch', 'set', 'annotate', 'autoscale', 'taint', 'cordon', 'drain']);
// kubectl flags that take a value as the next word (besides -n/--namespace).
const KUBECTL_VALUE_FLAGS = new Set([
  '-c', '--container', '-l', '--selector', '-o', '--output', '--context', '--kubeconfig', '-f', '--filename', '--field-selector', '--image', '--labels',
  '--port', '--target-port', '--replicas', '--restart', '--name', '--protocol', '--tcp', '--udp', '--type', '--overrides', '--env', '--serviceaccount', '--timeout',
  '--copy-to', '--target', '--profile', '-k', '--kustomize',
]);
// Programs besides kubectl that change the cluster, by the subcommands that do (helm, cilium-cli, minikube, kind).
const CHANGING_PROGRAMS: Record<string, RegExp> = {
  helm: /^(install|upgrade|uninstall|delete|rollback)\b/,
  cilium: /^(install|upgrade|uninstall|connectivity test|hubble (enable|disable)|clustermesh (enable|disable|connect|disconnect)|config set|encryption)\b/,
  minikube: /^(start|delete|stop|addons (enable|disable))\b/,
  kind: /^(create|delete|load)\b/,
};
// Programs a reader runs in a pod to look at the network that the harness does not probe with.
const NETWORK_TOOLS = new Set(['ping6', 'nslookup', 'dig', 'host', 'traceroute', 'telnet', 'openssl', 'grpcurl', 'http', 'httpie']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/bin/zsh', '/usr/bin/bash']);

/** Where a command runs that is not typed into a pod's shell. */
export const READERS_MACHINE = "runs on the reader's machine, not in a pod";

/** A command line; `where` says where a client would run (the reader's machine, a node), for the warning. */
export function parseCommandLine(line: string, where = READERS_MACHINE): DocCommand[] {
  return parseShellLine(line).map((pipeline) => interpret(pipeline, where));
}

/** The script of `sh -c 'script'` (`bash -c -- 'script'`: -- ends the shell's options), if the words are one. */
function shellScript(words: readonly string[]): string | undefined {
  if (!SHELLS.has(words[0] ?? '') || words[1] !== '-c') return undefined;
  return words[words[2] === '--' ? 3 : 2];
}

/**
 * The probe a container's own command runs, if it is a client loop (`sh -c 'while true; do wget -qO- web; sleep 1;
 * done'`): the first request of the script, from that pod.
 */
export function loopProbe(command: readonly string[], pod: string, namespace: string | undefined): Extract<DocCommand, { kind: 'probe' }> | undefined {
  const script = shellScript(command);
  if (script === undefined) return undefined;
  try {
    for (const pipeline of parseShellLine(script.replaceAll('\n', ';'))) {
      let words = pipeline[0] ?? [];
      while (LEADING.has(words[0] ?? '') || words[0] === 'while' || words[0] === 'until') words = words.slice(1);
      const c = inPod(words, pod, namespace);
      if (c.kind === 'probe') return c;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** A command typed into a pod's shell (an interactive session): a probe from that pod, or nothing to follow. */
export function parsePodCommandLine(line: string, pod: string, namespace: string | undefined): DocCommand[] {
  return parseShellLine(line).map((pipeline) => inPod(pipeline[0]!, pod, namespace));
}

/** A here-document's redirection (`<<EOF`, `<< 'EOF'`, `<<-EOF`) is the walker's to read, not a word of the command. */
function withoutHeredoc(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (/^<<-?$/.test(words[i]!)) i++;
    else if (!/^<<-?\S/.test(words[i]!)) out.push(words[i]!);
  }
  return out;
}

function interpret(pipeline: Pipeline, where: string): DocCommand {
  // `cat <<EOF | kubectl apply -f -` and `cat file.yaml | kubectl apply -f -`: the kubectl command is what changes.
  const [first, second] = pipeline.map(withoutHeredoc);
  // `kubectl kustomize DIR | envsubst | kubectl apply -f -`: a program between them rewrites the manifests.
  const last = pipeline.length > 2 ? withoutHeredoc(pipeline.at(-1)!) : undefined;
  if (last?.[0] === 'kubectl' && kubectl(last.slice(1)).kind === 'stdin') {
    return { kind: 'unsupported', why: `${last.join(' ')} applies what ${pipeline.slice(1, -1).map((p) => p[0]).join(' | ')} made of ${first!.join(' ')}'s output, which the harness does not follow` };
  }
  if (first?.[0] === 'cat' && second?.[0] === 'kubectl') {
    const piped = kubectl(second.slice(1));
    const files = first.slice(1).filter((w) => !w.startsWith('-'));
    if (piped.kind === 'stdin' && files.length) return piped.verb === 'apply' ? { kind: 'apply', verb: 'apply', files, namespace: piped.namespace } : { kind: 'delete-files', files, namespace: piped.namespace };
    return piped;
  }
  // `kubectl kustomize DIR | kubectl apply -f -`, `kustomize build DIR | kubectl apply -f -`: as `kubectl apply -k DIR`.
  const built = first && (first[0] === 'kubectl' ? first[1] === 'kustomize' : first[0] === 'kustomize' && first[1] === 'build') ? first.slice(2).filter((w) => !w.startsWith('-')) : undefined;
  if (built && second?.[0] === 'kubectl') {
    const piped = kubectl(second.slice(1));
    if (piped.kind !== 'stdin') return piped;
    // Without a folder, kustomize builds the current one.
    const files = [built[0] ?? '.'];
    return piped.verb === 'apply' ? { kind: 'apply', verb: 'apply', files, namespace: piped.namespace, kustomize: true } : { kind: 'delete-files', files, namespace: piped.namespace, kustomize: true };
  }
  // `echo '<manifest>' | kubectl apply -f -`: echo's words, joined by spaces, are the manifests.
  if (first?.[0] === 'echo' && second?.[0] === 'kubectl') {
    const piped = kubectl(second.slice(1));
    return piped.kind === 'stdin' ? { ...piped, content: echoed(first) } : piped;
  }
  if (pipeline.length === 1 && first) {
    const written = writtenFile(first);
    if (written) return written;
  }
  return single(first ?? [], where);
}

/** What `echo [-n|-e] WORDS...` prints: its words joined by spaces. */
const echoed = (words: readonly string[]) => words.slice(1).filter((w, i) => !(i === 0 && /^-[ne]+$/.test(w))).join(' ');

/** `echo TEXT > FILE` and `cat > FILE` (its text from a here-document): a file the text writes. */
function writtenFile(words: readonly string[]): DocCommand | undefined {
  const at = words.findIndex((w) => w === '>' || w === '>>');
  const file = at > 0 ? words[at + 1] : undefined;
  if (!file || words[at] === '>>') return undefined;
  const before = words.slice(0, at);
  if (before[0] === 'echo') return { kind: 'write', file, content: echoed(before) };
  if (before[0] === 'cat' && before.length === 1) return { kind: 'write', file };
  return undefined;
}

// Shell keywords that lead a command (`do kubectl exec ...` in a one-line loop), and prefixes that run the rest.
const LEADING = new Set(['do', 'then', 'else', 'elif', '{', '!', 'time', 'export', 'sudo']);
// Shell keywords that close a loop, a branch or a group.
const CLOSING = new Set(['done', 'fi', 'esac', '}']);

function single(command: readonly string[], where: string): DocCommand {
  let words = [...command];
  while (LEADING.has(words[0] ?? '')) words = words.slice(1);
  if (words.length === 0 || CLOSING.has(words[0]!)) return { kind: 'syntax' };
  const assignment = words.length === 1 ? assignmentOf(words[0]!) : undefined;
  if (assignment) {
    const inner = assignment.substitution && parseShellLine(assignment.substitution)[0];
    const binding = inner ? bindingOf(assignment.name, inner) : undefined;
    return binding ?? { kind: 'other', program: `${assignment.name}=` };
  }
  const program = words[0] ?? '';
  if (program === 'kubectl') return kubectl(words.slice(1));
  // calicoctl apply|create|replace|delete -f: the same manifests as kubectl's (projectcalico.org/v3 ones).
  if (program === 'calicoctl' && /^(apply|create|replace|delete)$/.test(words.slice(1).find((w) => !w.startsWith('-')) ?? '')) return kubectl(words.slice(1));
  const sub = words.slice(1).filter((w) => !w.startsWith('-')).slice(0, 2).join(' ');
  const changing = CHANGING_PROGRAMS[program]?.exec(sub);
  if (changing) return { kind: 'external', program: `${program} ${changing[0]}` };
  // A request from the reader's machine that prints what it got could be a probe; a download to a file is not.
  const call = probeCall(words);
  if ((call && call.prints !== 'nothing') || NETWORK_TOOLS.has(program)) return { kind: 'skipped', why: `${words.join(' ')}: ${program} ${where}: not a probe the harness can run` };
  return { kind: 'other', program };
}

/** Words run in a pod (after `kubectl exec POD --`, or typed at its prompt); `sh -c '...'` is read inside. */
function inPod(words: readonly string[], pod: string, namespace: string | undefined): DocCommand {
  // `timeout 5 wget ...`: coreutils' and busybox's timeout runs the command after its duration.
  if (words[0] === 'timeout') {
    const duration = words.findIndex((w, i) => i > 0 && !w.startsWith('-'));
    return duration < 0 ? { kind: 'other', program: 'timeout' } : inPod(words.slice(duration + 1), pod, namespace);
  }
  const script = shellScript(words);
  if (script !== undefined) {
    const inner = parseShellLine(script)[0];
    return inner ? inPod(inner[0]!, pod, namespace) : { kind: 'other', program: words[0]! };
  }
  const call = probeCall(words) ?? otherClient(words);
  if (call) return { kind: 'probe', namespace, pod, call };
  const program = words[0]?.split('/').at(-1) ?? '';
  if (NETWORK_TOOLS.has(program) || isProbeClient(program)) return { kind: 'skipped', why: `${words.join(' ')}: ${NETWORK_TOOLS.has(program) ? `${program} is not a probe the harness runs` : 'no target the harness can probe'}` };
  return { kind: 'other', program: `kubectl exec ${program}` };
}

interface KubectlArgs {
  namespace?: string;
  args: string[];
  flags: Map<string, string[]>;
  /** Words after `--`. */
  rest: string[];
}

function kubectlArgs(words: string[]): KubectlArgs {
  const out: KubectlArgs = { args: [], flags: new Map(), rest: [] };
  const flag = (name: string, value: string) => out.flags.set(name, [...(out.flags.get(name) ?? []), value]);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      out.rest = words.slice(i + 1);
      break;
    }
    // A one-letter flag takes its value attached as well (pflag's shorthand: -ojsonpath=..., -oname, -lapp=web).
    const attached = /^-([ol])(?!=)(\S+)$/s.exec(w);
    const eq = /^(--?[\w-]+)=(.*)$/s.exec(w);
    if (attached) flag(`-${attached[1]!}`, attached[2]!);
    else if (eq) flag(eq[1]!, eq[2]!);
    else if (w === '-n' || w === '--namespace' || KUBECTL_VALUE_FLAGS.has(w)) flag(w, words[++i] ?? '');
    else if (/^-n\S+$/.test(w)) flag('-n', w.slice(2));
    else if (w.startsWith('-')) flag(w, '');
    else out.args.push(w);
  }
  out.namespace = (out.flags.get('-n') ?? out.flags.get('--namespace'))?.at(-1);
  return out;
}

const value = (a: KubectlArgs, ...names: string[]) => names.flatMap((n) => a.flags.get(n) ?? []);
const has = (a: KubectlArgs, ...names: string[]) => names.some((n) => a.flags.has(n));
/** -i, -t, -it, -ti, --stdin, --tty: both stdin and a terminal. */
const interactive = (a: KubectlArgs) => (has(a, '-it', '-ti') || (has(a, '-i', '--stdin') && has(a, '-t', '--tty')));

/** `k=v,k2=v2` as labels, or undefined when a term is not KEY=VALUE. */
function labelList(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const term of text.split(',')) {
    const m = /^([\w./-]+)==?([\w.-]*)$/.exec(term.trim());
    if (!m) return undefined;
    labels[m[1]!] = m[2]!;
  }
  return labels;
}

/** `kind/name` or `kind name...` (kinds comma-separated: `pod,svc web`), as kubectl reads resource arguments. */
function resourceTargets(args: readonly string[]): { resource: string; kindName?: string; name: string }[] {
  const [first, ...rest] = args;
  if (!first) return [];
  if (first.includes('/')) {
    return args.map((arg) => {
      const slash = arg.indexOf('/');
      const resource = slash > 0 ? arg.slice(0, slash) : arg;
      return { resource, kindName: kindOf(resource), name: arg.slice(slash + 1) };
    });
  }
  return first.split(',').flatMap((resource) => rest.map((name) => ({ resource, kindName: kindOf(resource), name })));
}

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

function kubectl(words: string[]): DocCommand {
  const a = kubectlArgs(words);
  const [verb, ...args] = a.args;
  // -f is a string slice, repeated or comma-separated, and -R a bool (kubernetes/cli-runtime@5eb6a64
  // pkg/genericclioptions/filename_flags.go, FileNameFlags.AddFlags: flags.StringSliceVarP, flags.BoolVarP).
  const files = value(a, '-f', '--filename').flatMap((f) => f.split(',')).filter(Boolean);
  const recursive = has(a, '-R', '--recursive');
  // -k is one folder (kubernetes/cli-runtime@69e8693 pkg/genericclioptions/filename_flags.go: Kustomize is a string
  // flag, StringVarP; builder.go's KustomizeVisitor builds it).
  const kustomization = value(a, '-k', '--kustomize').at(-1);
  const { namespace } = a;
  switch (verb) {
    case 'apply':
    case 'create':
    case 'replace':
      if (kustomization !== undefined && verb !== 'replace') return { kind: 'apply', verb, files: [kustomization], namespace, kustomize: true };
      if (files.includes('-')) return { kind: 'stdin', verb: 'apply', namespace };
      if (files.length) return { kind: 'apply', verb, files, namespace, recursive };
      if (verb === 'create') return kubectlCreate(a, args);
      return { kind: 'other', program: 'kubectl' };
    case 'delete': {
      if (kustomization !== undefined) return { kind: 'delete-files', files: [kustomization], namespace, kustomize: true };
      if (files.includes('-')) return { kind: 'stdin', verb: 'delete', namespace };
      if (files.length) return { kind: 'delete-files', files, namespace, recursive };
      const targets = resourceTargets(args);
      if (targets.length === 0) return { kind: 'unsupported', why: `kubectl delete ${args.join(' ')}: ${has(a, '-l', '--selector', '--all') ? 'deleting by selector or --all is not followed' : 'no kind and name'}` };
      return { kind: 'delete', targets, namespace };
    }
    case 'label': {
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
    case 'exec': {
      const [pod, ...older] = args;
      if (!pod) return { kind: 'other', program: 'kubectl exec' };
      // The command follows `--`, or, in the older form kubectl still takes, the pod's name.
      const command = a.rest.length ? a.rest : older;
      if (interactive(a) && command.length === 1 && SHELLS.has(command[0]!)) return { kind: 'session', namespace, pod };
      return inPod(command, pod, namespace);
    }
    case 'logs': {
      const [pod] = args;
      return pod ? { kind: 'logs', namespace, pod: pod.replace(/^(?:pod|pods|po)\//, '') } : { kind: 'other', program: 'kubectl logs' };
    }
    case 'debug':
      return kubectlDebug(a, args);
    case 'run':
      return kubectlRun(a, args);
    case 'expose': {
      const [target] = resourceTargets(args);
      const port = Number(value(a, '--port').at(-1));
      if (!target?.kindName || !Number.isInteger(port) || port <= 0) return { kind: 'unsupported', why: `kubectl expose ${args.join(' ')}: only a deployment, replicaset or pod by name with --port is read` };
      const targetText = value(a, '--target-port').at(-1);
      const targetPort = targetText === undefined ? undefined : /^\d+$/.test(targetText) ? Number(targetText) : targetText;
      return { kind: 'expose', kindName: target.kindName, name: target.name, namespace, service: value(a, '--name').at(-1) ?? target.name, port, targetPort, protocol: (value(a, '--protocol').at(-1) ?? 'TCP').toUpperCase() };
    }
    case 'scale': {
      const [target] = resourceTargets(args);
      const replicas = Number(value(a, '--replicas').at(-1));
      // The kinds with a scale subresource among those the harness models.
      if (!target?.kindName || !SCALABLE.has(target.kindName) || !Number.isInteger(replicas) || replicas < 0) {
        return { kind: 'unsupported', why: `kubectl scale ${args.join(' ')}: only a deployment, replicaset or statefulset by name with --replicas is read` };
      }
      return { kind: 'scale', kindName: target.kindName, name: target.name, replicas, namespace };
    }
    case 'rollout':
      // status watches and history lists (kubernetes/kubectl@dee3483 pkg/cmd/rollout): neither changes the cluster.
      if (args[0] === 'status' || args[0] === 'history') return { kind: 'other', program: `kubectl rollout ${args[0]}` };
      if (args[0] === 'restart') {
        const [target] = resourceTargets(args.slice(1));
        // The kinds kubectl restarts (kubernetes/kubectl@dee3483 pkg/polymorphichelpers/objectrestarter.go).
        if (target?.kindName && ['Deployment', 'DaemonSet', 'StatefulSet'].includes(target.kindName)) return { kind: 'restart', kindName: target.kindName, name: target.name, namespace };
      }
      return { kind: 'unsupported', why: `kubectl rollout ${args.join(' ')} changes the cluster in a way the harness does not follow` };
    default:
      if (verb && CHANGING_VERBS.has(verb)) return { kind: 'unsupported', why: `kubectl ${verb} changes the cluster in a way the harness does not follow` };
      return { kind: 'other', program: 'kubectl' };
  }
}

/** `kubectl create namespace|deployment|service clusterip`, as kubectl's generators write them. */
function kubectlCreate(a: KubectlArgs, args: string[]): DocCommand {
  const [what, ...rest] = args;
  const namespace = a.namespace;
  const meta = (name: string, labels?: Record<string, string>) => ({ name, ...(namespace && { namespace }), ...(labels && { labels }) });
  if ((what === 'namespace' || what === 'ns') && rest[0]) return { kind: 'create-namespace', name: rest[0] };
  if ((what === 'deployment' || what === 'deploy') && rest[0] && value(a, '--image').length) {
    // kubectl create deployment: label app=NAME on the pods and as the selector, one container per --image.
    const name = rest[0];
    const replicas = Number(value(a, '--replicas').at(-1) ?? 1);
    const labels = { app: name };
    const containers = value(a, '--image').map((image) => {
      const port = servedPort(image, value(a, '--port').at(-1));
      return { name: containerName(image), image, ...(port && { ports: [{ containerPort: port }] }) };
    });
    const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, labels), spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } } };
    return { kind: 'create', objects: [deployment] };
  }
  if ((what === 'service' || what === 'svc') && rest[0] === 'clusterip' && rest[1]) {
    // kubectl create service clusterip NAME --tcp=PORT[:TARGET]: selector app=NAME, ports named PORT-TARGET.
    const name = rest[1];
    const ports = value(a, '--tcp').flatMap((spec) => spec.split(',')).map((spec) => {
      const [port, target] = spec.split(':');
      return { name: `${port}-${target ?? port}`, port: Number(port), targetPort: Number(target ?? port), protocol: 'TCP' };
    });
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p.port) || !Number.isInteger(p.targetPort))) return { kind: 'unsupported', why: `kubectl create service clusterip ${name}: --tcp=PORT[:TARGET] is needed` };
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: meta(name, { app: name }), spec: { type: 'ClusterIP', selector: { app: name }, ports } };
    return { kind: 'create', objects: [service] };
  }
  return { kind: 'unsupported', why: `kubectl create ${args.join(' ')} is not read (only -f FILE, namespace, deployment and service clusterip)` };
}

/** The port a container serves: --port, else where its image listens when run as it is (the image catalog). */
export function servedPort(image: string, port: string | undefined): number | undefined {
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  return defaultTcpPort(image);
}

/** kubectl names a generated container after its image: the last path part, without tag or digest. */
function containerName(image: string): string {
  return (image.split('/').at(-1) ?? image).replace(/[:@].*$/, '').replace(/[^a-z0-9-]/g, '-');
}

function kubectlRun(a: KubectlArgs, args: string[]): DocCommand {
  // `test-$RANDOM`: a name the shell makes up; any stable name stands for it (test-random).
  const name = args[0]?.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (_, v: string) => v.toLowerCase().replace(/_/g, '-'));
  const image = value(a, '--image').at(-1);
  if (!name || !image) return { kind: 'unsupported', why: `kubectl run ${args.join(' ')}: a name and --image are needed` };
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return { kind: 'unsupported', why: `kubectl run ${args[0]}: not a pod name kubectl accepts` };
  const labelText = value(a, '--labels', '-l').at(-1);
  const labels = labelText === undefined ? { run: name } : labelList(labelText);
  if (!labels) return { kind: 'unsupported', why: `kubectl run ${name}: --labels "${labelText}" is not KEY=VALUE,...` };
  const port = servedPort(image, value(a, '--port').at(-1));
  const expose = has(a, '--expose') && port ? { port } : undefined;
  // What the pod runs: the words after `--`, or, in the older form (`kubectl run NAME --image I /bin/sh`), after NAME.
  const command = a.rest.length ? a.rest : args.slice(1);
  const session = interactive(a) && (command.length === 0 ? shellImage(image) || (has(a, '--rm') && !('entry' in lookupImage(image))) : command.length === 1 && SHELLS.has(command[0]!));
  const probe = command.length ? inPod(command, name, a.namespace) : undefined;
  return { kind: 'run', name, namespace: a.namespace, image, labels, rm: has(a, '--rm'), session, probe: probe?.kind === 'probe' ? probe.call : undefined, expose, port };
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

// Images whose default command is a shell, so that `kubectl run -it NAME --image=I` with no command opens one: the
// Docker official images' "Default Command" (docker-library/repo-info@72e4be79, repos/<image>/remote/latest.md):
// ["sh"] (busybox), ["/bin/sh"] (alpine), ["bash"] or ["/bin/bash"] (debian, ubuntu, centos, fedora).
// An image the catalog does not know, run with -it and --rm and no command, is taken for a throwaway shell too:
// that is what the idiom is for (`kubectl run --rm -it --image=mcr.microsoft.com/dotnet/runtime-deps:6.0 test`,
// whose image inherits debian's ["bash"]); an image the catalog knows runs what the catalog says.
const SHELL_IMAGES = new Set(['busybox', 'alpine', 'debian', 'ubuntu', 'centos', 'fedora']);
const shellImage = (image: string) => SHELL_IMAGES.has((image.split('/').at(-1) ?? '').replace(/[:@].*$/, ''));

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
function bindingOf(variable: string, pipeline: Pipeline): DocCommand | undefined {
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
