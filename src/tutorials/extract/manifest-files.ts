// `kubectl apply|delete -f PATH`: the manifests a path names (a file or a folder), from the tutorial's tree or the
// docs config's files, else fetched when it is a URL, else the manifest the text showed under that name; `-k DIR`:
// what the kustomization in that folder builds (manifest/kustomize.ts); `-n NS` puts the namespaced ones that name
// none into NS. The docs config's setup paths are applied the same way before the first chapter.
import path from 'node:path';
import { rememberSource, sourceOf } from '../../input/source-map.ts';
import { kustomizationIn, kustomize } from '../../manifest/kustomize.ts';
import { formatRef, isNamespaced, refOf, type KubeObject, type ObjectRef } from '../../manifest/objects.ts';
import { act, at, deleteRefs, lose, unsimulated } from './changes.ts';
import { firstDifference, readDocs, readManifests, sameObjects, shownDifference, type ReadManifests, type ShownManifest } from './manifests.ts';
import { fetchManifest, isUrl } from './remote-manifest.ts';
import { define, find, type Place, type ReadingState } from './reading-state.ts';

/** How the paths are read: `-R` (a folder's subfolders too), `-k` (kustomization folders). */
export interface PathMode {
  recursive: boolean;
  kustomize: boolean;
}

export async function applyFiles(state: ReadingState, files: string[], namespace: string | undefined, mode: PathMode, place: Place, text: string) {
  const all: ReadManifests = { objects: [], unmodelled: [], policyFailed: false };
  for (const written of files) {
    const read = mode.kustomize ? await kustomized(state, written, place, text) : await manifestsFor(state, written, mode.recursive, place, text);
    if (!read) return;
    all.objects.push(...read.objects);
    all.unmodelled.push(...read.unmodelled);
  }
  await applyRead(state, place, text, all, namespace, files.join(','));
}

export async function deleteFiles(state: ReadingState, files: string[], namespace: string | undefined, mode: PathMode, place: Place, text: string) {
  const refs: ObjectRef[] = [];
  for (const written of files) {
    const read = mode.kustomize ? await kustomized(state, written, place, text) : await manifestsFor(state, written, mode.recursive, place, text);
    if (!read) return;
    refs.push(...read.objects.map((o) => refOf(o, namespace ?? 'default')));
  }
  // Deleting only objects the model does not simulate leaves their effect unknown still: no action.
  if (refs.length) await deleteRefs(state, refs, place, text);
}

/** `-k DIR`: what the kustomization in the folder (in the tree or the docs config) builds, or the state is lost. */
async function kustomized(state: ReadingState, written: string, place: Place, text: string): Promise<ReadManifests | undefined> {
  const local = state.resolver.localFile(written, place.file);
  if (local && kustomizationIn(local)) return built(state, local, place, text);
  const why =
    isUrl(written) || /^(git@|github\.com\/)/.test(written) ? `${written} is a remote kustomization, which the harness does not fetch` : `${written} is not a folder with a kustomization in the tutorial's tree or the docs config's files`;
  lose(state, place, `${text}: ${why}`);
  return undefined;
}

/** The manifests a local kustomization folder builds; a field the harness does not follow loses the state. */
async function built(state: ReadingState, local: string, place: Place, text: string): Promise<ReadManifests | undefined> {
  const result = await kustomize(local);
  if ('problem' in result) {
    lose(state, place, `${text}: ${result.file}:${result.line}: ${result.problem}`);
    return undefined;
  }
  return readable(state, readDocs(result.docs, state.findings), path.relative(process.cwd(), local), place, text);
}

/** Manifests read from a local path, or undefined (the state lost) when a policy among them could not be read. */
function readable(state: ReadingState, read: ReadManifests, what: string, place: Place, text: string): ReadManifests | undefined {
  if (read.policyFailed || read.objects.length + read.unmodelled.length === 0) {
    lose(state, place, `${text}: ${what} holds no manifest the harness can read`);
    return undefined;
  }
  // A policy defined only in an applied file is defined all the same (for the prose lint).
  define(state, read);
  return read;
}

/** The docs config's setup paths (a file, a folder as -f reads it, a kustomization folder), applied in order. */
export async function applySetup(state: ReadingState) {
  for (const entry of state.config.setup) {
    const place = { file: state.config.file ?? 'docs config', line: entry.line };
    const text = `setup ${entry.written}`;
    const read = kustomizationIn(entry.path) ? await built(state, entry.path, place, text) : readable(state, await state.resolver.readLocal(entry.path, state.findings), entry.written, place, text);
    if (!read) return;
    await applyRead(state, place, text, read, undefined);
  }
}

/** `-f PATH`: the file or folder in the tree or the docs config, the URL's text, else the manifest the text showed for it. */
async function manifestsFor(state: ReadingState, written: string, recursive: boolean, place: Place, text: string): Promise<ReadManifests | undefined> {
  const local = state.resolver.localFile(written, place.file);
  const shown = state.resolver.shownFor(written);
  if (local) {
    const read = readable(state, await state.resolver.readLocal(local, state.findings, recursive), `${written} (${path.relative(process.cwd(), local)})`, place, text);
    if (!read) return undefined;
    // "Edit the file" after applying it: the changed manifest shown since is what the reader applies now.
    if (shown && editedSince(state, written, shown)) return { objects: shown.objects, unmodelled: shown.unmodelled, policyFailed: false };
    const differs = shown && shownDifference(shown.objects, read.objects);
    if (shown && differs) {
      find(
        state,
        'lint',
        'inline-differs-from-file',
        place,
        `${text} applies ${path.relative(process.cwd(), local)}, which differs from the manifest shown at ${shown.file}:${shown.line} (${differs}): the reader applies something other than what the text explains`,
      );
    }
    return read;
  }
  const remote = isUrl(written) ? await fetchManifest(written, state.config.offline ?? false) : undefined;
  if (remote && 'text' in remote) {
    const read = readManifests(remote.text, written, 1, state.findings);
    if (read.policyFailed || read.objects.length + read.unmodelled.length === 0) {
      lose(state, place, `${text}: ${written} holds no manifest the harness can read`);
      return undefined;
    }
    // The page may have changed since the text was written: a warning, not a fault of the text.
    const differs = shown && shownDifference(shown.objects, read.objects);
    if (shown && differs) {
      find(
        state,
        'warning',
        'inline-differs-from-url',
        place,
        `${text}: the text at ${written} (${remote.from === 'cache' ? 'as cached' : 'fetched now'}) differs from the manifest shown at ${shown.file}:${shown.line} (${differs.replace(/in the file$/, 'at the URL')}): checked as the URL's`,
      );
    }
    define(state, read);
    return read;
  }
  if (shown) return { objects: shown.objects, unmodelled: shown.unmodelled, policyFailed: false };
  const why = remote && 'problem' in remote ? `${written}: ${remote.problem}` : `${written} is not in the tutorial's tree, not in the docs config's files, and no manifest shown before it names it`;
  lose(state, place, `${text}: ${why}`);
  return undefined;
}

/**
 * Manifests applied (`-f` a file, a folder, a URL; a here-document): the objects the model simulates become an
 * action, and those it does not make the claims they could affect not checkable. The same file applied again with an
 * object changed is the text's edit of it ("edit the file", "modify the YAML", then apply): a warning says so.
 */
export async function applyRead(state: ReadingState, place: Place, text: string, read: Pick<ReadManifests, 'objects' | 'unmodelled'>, namespace: string | undefined, file?: string) {
  unsimulated(state, place, text, read.unmodelled, namespace);
  if (read.objects.length === 0) return;
  const objects = inNamespace(read.objects, namespace);
  for (const o of objects) {
    const before = state.applied.get(formatRef(refOf(o)));
    if (file && before?.file === file && !state.lost && !sameObjects([before.object], [o])) {
      find(
        state,
        'warning',
        'applied-as-edit',
        place,
        `${text} applies ${file} again with ${formatRef(refOf(o))} changed since line ${before.line} (${firstDifference([before.object], [o]).replace(/ in the text, (.*) in the file$/, ' before, $1 now')}): read as an edit of it`,
      );
    }
  }
  await act(state, place, text, { kind: 'apply', objects, ...at(place, text) });
  for (const o of objects) state.applied.set(formatRef(refOf(o)), { object: o, line: place.line, shown: state.resolver.shown.length, ...(file && { file }) });
}

/** The text showed this file's manifest, changed, after an earlier command applied the file. */
function editedSince(state: ReadingState, written: string, shown: ShownManifest): boolean {
  const at = state.resolver.shown.lastIndexOf(shown);
  return [...state.applied.values()].some((a) => {
    const now = shown.objects.find((o) => formatRef(refOf(o)) === formatRef(refOf(a.object)));
    return a.file === written && at >= a.shown && now !== undefined && !sameObjects([a.object], [now]);
  });
}

/** `kubectl -n NS apply`: namespaced objects that name no namespace go to NS. */
export function inNamespace(objects: readonly KubeObject[], namespace: string | undefined): KubeObject[] {
  return objects.map((o) => (namespace && o.metadata.namespace === undefined && isNamespaced(o.kind) ? withNamespace(o, namespace) : o));
}

function withNamespace(o: KubeObject, namespace: string): KubeObject {
  const moved = { ...o, metadata: { ...o.metadata, namespace } };
  // Still explained by the lines it was written on.
  const source = sourceOf(o);
  if (source) rememberSource(moved, source);
  return moved;
}
