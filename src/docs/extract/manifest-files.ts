// `kubectl apply|delete -f PATH`: the manifests a path names, from the tutorial's tree or the docs config's files,
// else the manifest the text showed under that name; `-n NS` puts the namespaced ones that name none into NS.
import path from 'node:path';
import { rememberSource, sourceOf } from '../../input/source-map.ts';
import { isNamespaced, refOf, type KubeObject, type ObjectRef } from '../../manifest/objects.ts';
import { act, at, deleteRefs, lose } from './changes.ts';
import { firstDifference, sameObjects } from './manifests.ts';
import { find, type Place, type WalkState } from './walk-state.ts';

export async function applyFiles(state: WalkState, files: string[], namespace: string | undefined, place: Place, text: string) {
  const objects: KubeObject[] = [];
  for (const written of files) {
    const read = await manifestsFor(state, written, place, text);
    if (!read) return;
    objects.push(...inNamespace(read, namespace));
  }
  await act(state, place, text, { kind: 'apply', objects, ...at(place, text) });
}

export async function deleteFiles(state: WalkState, files: string[], namespace: string | undefined, place: Place, text: string) {
  const refs: ObjectRef[] = [];
  for (const written of files) {
    const read = await manifestsFor(state, written, place, text);
    if (!read) return;
    refs.push(...read.map((o) => refOf(o, namespace ?? 'default')));
  }
  await deleteRefs(state, refs, place, text);
}

/** `-f PATH`: the file in the tree or the docs config, else the manifest the text showed for it. */
async function manifestsFor(state: WalkState, written: string, place: Place, text: string): Promise<KubeObject[] | undefined> {
  const local = state.resolver.localFile(written, place.file);
  const shown = state.resolver.shownFor(written);
  if (local) {
    const read = await state.resolver.readLocal(local, state.findings);
    if (read.policyFailed || read.objects.length === 0) {
      lose(state, place, `${text}: ${written} (${path.relative(process.cwd(), local)}) holds no manifest the harness can read`);
      return undefined;
    }
    if (shown && !sameObjects(shown.objects, read.objects)) {
      find(state, 'lint', 'inline-differs-from-file', place, `${text} applies ${path.relative(process.cwd(), local)}, which differs from the manifest shown at ${shown.file}:${shown.line} (${firstDifference(shown.objects, read.objects)}): the reader applies something other than what the text explains`);
    }
    // A policy defined only in the applied file is defined all the same (for the prose lint).
    state.defined.push(...read.objects);
    return read.objects;
  }
  if (shown) return shown.objects;
  lose(state, place, `${text}: ${written} is not in the tutorial's tree, not in the docs config's files, and no manifest shown before it names it`);
  return undefined;
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
