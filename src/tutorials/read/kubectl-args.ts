// kubectl's words as kubectl reads them (spf13/pflag): flags with their values, the arguments, the words after `--`,
// and the resource arguments (`kind/name`, `kind name...`), for the command readers of kubectl.ts.
import { kindOf } from '../../manifest/objects.ts';

// kubectl flags that take a value as the next word (besides -n/--namespace).
const KUBECTL_VALUE_FLAGS = new Set([
  '-c',
  '--container',
  '-l',
  '--selector',
  '-o',
  '--output',
  '--context',
  '--kubeconfig',
  '-f',
  '--filename',
  '--field-selector',
  '--image',
  '--labels',
  '--port',
  '--target-port',
  '--replicas',
  '--restart',
  '--name',
  '--protocol',
  '--tcp',
  '--udp',
  '--type',
  '--overrides',
  '--env',
  '--serviceaccount',
  '--timeout',
  '--copy-to',
  '--target',
  '--profile',
  '-k',
  '--kustomize',
]);

export interface KubectlArgs {
  namespace?: string;
  args: string[];
  flags: Map<string, string[]>;
  /** Words after `--`. */
  rest: string[];
}

export function kubectlArgs(words: string[]): KubectlArgs {
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

export const value = (a: KubectlArgs, ...names: string[]) => names.flatMap((n) => a.flags.get(n) ?? []);
export const has = (a: KubectlArgs, ...names: string[]) => names.some((n) => a.flags.has(n));
/** -i, -t, -it, -ti, --stdin, --tty: both stdin and a terminal. */
export const interactive = (a: KubectlArgs) => has(a, '-it', '-ti') || (has(a, '-i', '--stdin') && has(a, '-t', '--tty'));

/** `k=v,k2=v2` as labels, or undefined when a term is not KEY=VALUE. */
export function labelList(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const term of text.split(',')) {
    const m = /^([\w./-]+)==?([\w.-]*)$/.exec(term.trim());
    if (!m) return undefined;
    labels[m[1]!] = m[2]!;
  }
  return labels;
}

/** `kind/name` or `kind name...` (kinds comma-separated: `pod,svc web`), as kubectl reads resource arguments. */
export function resourceTargets(args: readonly string[]): { resource: string; kindName?: string; name: string }[] {
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
