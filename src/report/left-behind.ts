// The one message a cluster run ends with when its cleanup could not undo everything: the API server, when it could
// not be reached; each object that may be left (kind, namespace, name) and each label not restored; and the kubectl
// commands that undo them by hand once the cluster answers.
import { formatRef, type ObjectRef } from '../manifest/objects.ts';
import type { Left, LeftOnCluster } from '../results/left-behind.ts';
import { inert } from './inert.ts';

/** A token as a POSIX shell reads it back unchanged: bare when it holds only safe characters, else single-quoted. */
const shellWord = (text: string) => (/^[\w./=:@%+,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);

const target = (ref: ObjectRef) => [...(ref.namespace ? ['-n', ref.namespace] : []), ref.kind.toLowerCase(), ref.name];

/** The kubectl command lines that undo `left` by hand; `context` is the kubeconfig context the run used. */
export function manualCleanup(left: readonly Left[], context: string | undefined): string[] {
  const kubectl = ['kubectl', ...(context ? ['--context', context] : [])];
  const namespaces = new Set(left.flatMap((l) => (l.what === 'object' && l.ref.kind === 'Namespace' ? [l.ref.name] : [])));
  const lines: string[][] = [];
  for (const l of left) {
    if (l.what === 'labels' && !(l.ref.namespace && namespaces.has(l.ref.namespace))) {
      const labels = Object.entries(l.restore).map(([key, value]) => (value === null ? `${key}-` : `${key}=${value}`));
      lines.push([...kubectl, 'label', '--overwrite', ...target(l.ref), ...labels]);
    }
  }
  for (const l of left) {
    // Deleting a namespace deletes what is in it.
    if (l.what === 'object' && !(l.ref.namespace && namespaces.has(l.ref.namespace))) lines.push([...kubectl, 'delete', '--ignore-not-found', ...target(l.ref)]);
  }
  return lines.map((argv) => argv.map(shellWord).join(' '));
}

/** The message, or undefined when the cleanup undid everything. */
export function renderLeftBehind(left: LeftOnCluster, context: string | undefined): string | undefined {
  if (left.entries.length === 0) return undefined;
  const { unreachable } = left;
  const head = unreachable
    ? `cleanup stopped: the API server ${unreachable.server} could not be reached (${unreachable.message}). These may be left behind on the cluster:`
    : 'cleanup could not undo everything. These may be left behind on the cluster:';
  const items = left.entries.map((l) => {
    const what = l.what === 'audit mode' ? "Cilium's policy audit mode (still on)" : l.what === 'labels' ? `labels of ${formatRef(l.ref)} (not restored)` : formatRef(l.ref);
    // Where the server could not be reached, the reason is the same for each and said above.
    return `  ${what}${unreachable ? '' : `: ${l.why}`}`;
  });
  const commands = manualCleanup(left.entries, context);
  const manual = commands.length ? ['Undo them by hand once the cluster answers:', ...commands.map((c) => `  ${c}`)] : [];
  return [head, ...items, ...manual].map(inert).join('\n');
}
