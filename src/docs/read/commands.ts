// What a tutorial's command line does, as far as connectivity goes: kubectl commands that change objects or labels,
// shell variables bound to a pod's name or IP, and curl probes run with `kubectl exec`. Anything else is `other`.
import { kindOf } from '../../manifest/objects.ts';
import { assignmentOf, parseShellLine, type Pipeline } from './shell.ts';

export type PodField = 'name' | 'ip';

export interface CurlCall {
  /** The URL or HOST[:port] word as written, variables unexpanded. */
  url: string;
  method: string;
  connectTimeout?: number;
}

export type DocCommand =
  | { kind: 'apply'; verb: 'apply' | 'create' | 'replace'; files: string[]; namespace?: string }
  | { kind: 'delete-files'; files: string[]; namespace?: string }
  | { kind: 'delete'; resource: string; kindName?: string; names: string[]; namespace?: string }
  | { kind: 'create-namespace'; name: string }
  | { kind: 'label'; target: 'namespace' | 'pod'; name: string; set: Record<string, string | null>; namespace?: string }
  | { kind: 'bind'; variable: string; namespace?: string; labels: Record<string, string>; field: PodField }
  | { kind: 'probe'; namespace?: string; pod: string; curl: CurlCall }
  /** kubectl that changes the cluster in a way the harness cannot follow (stdin, edit, patch, ...). */
  | { kind: 'unsupported'; why: string }
  | { kind: 'other'; program: string };

const CHANGING_VERBS = new Set(['edit', 'patch', 'set', 'scale', 'rollout', 'annotate', 'expose', 'run']);
// kubectl flags that take a value as the next word (besides -n/--namespace).
const KUBECTL_VALUE_FLAGS = new Set(['-c', '--container', '-l', '--selector', '-o', '--output', '--context', '--kubeconfig', '-f', '--filename', '--field-selector']);
// curl flags that take a value as the next word.
const CURL_VALUE_FLAGS = new Set([
  '-X', '--request', '-H', '--header', '-o', '--output', '-w', '--write-out', '-d', '--data', '--data-raw', '--data-binary', '-u', '--user',
  '--resolve', '--connect-to', '-m', '--max-time', '--retry', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '--cacert', '--cert', '--key', '-x', '--proxy',
]);

export function parseCommandLine(line: string): DocCommand[] {
  return parseShellLine(line).map(interpret);
}

function interpret(pipeline: Pipeline): DocCommand {
  let words = pipeline[0]!;
  if (words[0] === 'export' || words[0] === 'sudo') words = words.slice(1);
  const assignment = words.length === 1 ? assignmentOf(words[0]!) : undefined;
  if (assignment) {
    const inner = assignment.substitution && parseShellLine(assignment.substitution)[0];
    const binding = inner ? bindingOf(assignment.name, inner) : undefined;
    return binding ?? { kind: 'other', program: `${assignment.name}=` };
  }
  if (words[0] !== 'kubectl') return { kind: 'other', program: words[0] ?? '' };
  return kubectl(words.slice(1));
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
    const eq = /^(--?[\w-]+)=(.*)$/s.exec(w);
    if (eq) flag(eq[1]!, eq[2]!);
    else if (w === '-n' || w === '--namespace' || KUBECTL_VALUE_FLAGS.has(w)) flag(w, words[++i] ?? '');
    else if (/^-n\S+$/.test(w)) flag('-n', w.slice(2));
    else if (w.startsWith('-')) flag(w, '');
    else out.args.push(w);
  }
  out.namespace = (out.flags.get('-n') ?? out.flags.get('--namespace'))?.at(-1);
  return out;
}

const value = (a: KubectlArgs, ...names: string[]) => names.flatMap((n) => a.flags.get(n) ?? []);

function kubectl(words: string[]): DocCommand {
  const a = kubectlArgs(words);
  const [verb, ...args] = a.args;
  const files = value(a, '-f', '--filename');
  const { namespace } = a;
  switch (verb) {
    case 'apply':
    case 'create':
    case 'replace':
      if (files.includes('-')) return { kind: 'unsupported', why: `kubectl ${verb} -f - reads stdin, which the tutorial does not show` };
      if (files.length) return { kind: 'apply', verb, files, namespace };
      if (verb === 'create' && (args[0] === 'namespace' || args[0] === 'ns') && args[1]) return { kind: 'create-namespace', name: args[1] };
      return verb === 'create' ? { kind: 'unsupported', why: `kubectl create ${args.join(' ')} is not read (only -f FILE and namespace)` } : { kind: 'other', program: 'kubectl' };
    case 'delete': {
      if (files.length) return { kind: 'delete-files', files, namespace };
      const [resource, ...names] = args;
      if (!resource) return { kind: 'unsupported', why: 'kubectl delete without -f or a kind' };
      const slash = resource.indexOf('/');
      if (slash > 0) return { kind: 'delete', resource: resource.slice(0, slash), kindName: kindOf(resource.slice(0, slash)), names: [resource.slice(slash + 1), ...names], namespace };
      return { kind: 'delete', resource, kindName: kindOf(resource), names, namespace };
    }
    case 'label': {
      const [resource, name, ...pairs] = args;
      const kind = resource && kindOf(resource);
      const target = kind === 'Namespace' ? 'namespace' : resource === 'pod' || resource === 'pods' || resource === 'po' ? 'pod' : undefined;
      if (!target || !name) return { kind: 'unsupported', why: `kubectl label ${args.join(' ')} is not read (only namespace and pod)` };
      const set: Record<string, string | null> = {};
      for (const pair of pairs) {
        const m = /^([\w./-]+)(?:=(.*)|(-))$/.exec(pair);
        if (!m) return { kind: 'unsupported', why: `"${pair}" is not KEY=VALUE or KEY-` };
        set[m[1]!] = m[3] ? null : m[2]!;
      }
      return { kind: 'label', target, name, set, namespace };
    }
    case 'exec': {
      const [pod] = args;
      if (!pod || a.rest[0] !== 'curl') return { kind: 'other', program: 'kubectl exec' };
      const curl = curlCall(a.rest.slice(1));
      return curl ? { kind: 'probe', namespace, pod, curl } : { kind: 'other', program: 'kubectl exec curl' };
    }
    default:
      if (verb && CHANGING_VERBS.has(verb)) return { kind: 'unsupported', why: `kubectl ${verb} changes the cluster in a way the harness does not follow` };
      return { kind: 'other', program: 'kubectl' };
  }
}

/** `kubectl get pods -l app=x -o jsonpath='{.items[0].metadata.name}'`, or `-o json | jq -r '.items[0].status.podIP'`. */
function bindingOf(variable: string, pipeline: Pipeline): DocCommand | undefined {
  const [first, second] = pipeline;
  if (first?.[0] !== 'kubectl') return undefined;
  const a = kubectlArgs(first.slice(1));
  if (a.args[0] !== 'get' || !['pods', 'pod', 'po'].includes(a.args[1] ?? '')) return undefined;
  const selector = value(a, '-l', '--selector').at(-1);
  const output = value(a, '-o', '--output').at(-1) ?? '';
  const path = output.startsWith('jsonpath=') ? output.slice('jsonpath='.length) : output === 'json' && second?.[0] === 'jq' ? second.at(-1) : undefined;
  const field = /status\.podIP/.test(path ?? '') ? 'ip' : /metadata\.name/.test(path ?? '') ? 'name' : undefined;
  if (!selector || !field) return undefined;
  const labels: Record<string, string> = {};
  for (const term of selector.split(',')) {
    const m = /^([\w./-]+)==?([\w.-]+)$/.exec(term);
    if (!m) return undefined;
    labels[m[1]!] = m[2]!;
  }
  return { kind: 'bind', variable, namespace: a.namespace, labels, field };
}

function curlCall(words: string[]): CurlCall | undefined {
  let method: string | undefined;
  let head = false;
  let connectTimeout: number | undefined;
  let url: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      url ??= words[i + 1];
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      url ??= w;
      continue;
    }
    const eq = /^(--[\w-]+)=(.*)$/.exec(w);
    const [name, arg] = eq ? [eq[1]!, eq[2]] : CURL_VALUE_FLAGS.has(w) || w === '--connect-timeout' ? [w, words[++i]] : [w, undefined];
    if (name === '--connect-timeout') connectTimeout = Number(arg);
    else if (name === '-X' || name === '--request') method = arg;
    else if (name === '--head') head = true;
    else if (/^-[a-zA-Z]+$/.test(name)) {
      // Bundled short flags: -Ik, -sSI; a value flag ends the bundle and takes the next word.
      const letters = name.slice(1);
      if (letters.includes('I')) head = true;
      const last = `-${letters.at(-1)}`;
      if (letters.length > 1 && CURL_VALUE_FLAGS.has(last)) {
        const v = words[++i];
        if (last === '-X') method = v;
      }
    }
  }
  if (!url) return undefined;
  return { url, method: method ?? (head ? 'HEAD' : 'GET'), connectTimeout: Number.isFinite(connectTimeout) ? connectTimeout : undefined };
}
