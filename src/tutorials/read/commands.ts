// What a tutorial's command line does, as far as connectivity goes: kubectl commands that change objects or labels
// (kubectl.ts; as kubectl's own generators write them: kubectl-generators.ts), shell variables bound to a pod's name
// or IP, probes run in a pod (`kubectl exec`, `kubectl run -- CMD`, or typed into its shell: in-pod.ts), pipelines
// that feed kubectl manifests, files written, and other programs that change the cluster. Anything else is `other`.
import type { DocCommand } from './doc-command.ts';
import { LEADING, NETWORK_TOOLS } from './in-pod.ts';
import { bindingOf, kubectl } from './kubectl.ts';
import { probeCall } from './probe-commands.ts';
import { assignmentOf, parseShellLine, type Pipeline } from './shell.ts';

// Programs besides kubectl that change the cluster, by the subcommands that do (helm, cilium-cli, minikube, kind).
const CHANGING_PROGRAMS: Record<string, RegExp> = {
  helm: /^(install|upgrade|uninstall|delete|rollback)\b/,
  cilium: /^(install|upgrade|uninstall|connectivity test|hubble (enable|disable)|clustermesh (enable|disable|connect|disconnect)|config set|encryption)\b/,
  minikube: /^(start|delete|stop|addons (enable|disable))\b/,
  kind: /^(create|delete|load)\b/,
};

/** Where a command runs that is not typed into a pod's shell. */
export const READERS_MACHINE = "runs on the reader's machine, not in a pod";

/** A command line; `where` says where a client would run (the reader's machine, a node), for the warning. */
export function parseCommandLine(line: string, where = READERS_MACHINE): DocCommand[] {
  return parseShellLine(line).map((pipeline) => interpret(pipeline, where));
}

/** A here-document's redirection (`<<EOF`, `<< 'EOF'`, `<<-EOF`) is the reader's to read, not a word of the command. */
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
    return {
      kind: 'unsupported',
      why: `${last.join(' ')} applies what ${pipeline
        .slice(1, -1)
        .map((p) => p[0])
        .join(' | ')} made of ${first!.join(' ')}'s output, which the harness does not follow`,
    };
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
const echoed = (words: readonly string[]) =>
  words
    .slice(1)
    .filter((w, i) => !(i === 0 && /^-[ne]+$/.test(w)))
    .join(' ');

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
  const sub = words
    .slice(1)
    .filter((w) => !w.startsWith('-'))
    .slice(0, 2)
    .join(' ');
  const changing = CHANGING_PROGRAMS[program]?.exec(sub);
  if (changing) return { kind: 'external', program: `${program} ${changing[0]}` };
  // A request from the reader's machine that prints what it got could be a probe; a download to a file is not.
  const call = probeCall(words);
  if ((call && call.prints !== 'nothing') || NETWORK_TOOLS.has(program)) return { kind: 'skipped', why: `${words.join(' ')}: ${program} ${where}: not a probe the harness can run` };
  return { kind: 'other', program };
}
