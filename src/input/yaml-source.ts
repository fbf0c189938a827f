// YAML documents that remember where each value came from, so that any later check can name file and line.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { InputError } from './input-error.ts';

export interface SourcedDoc {
  readonly file: string;
  readonly value: unknown;
  /** The line of the deepest node on `path` that exists (the key's line for a map entry). */
  lineOf(path: readonly PropertyKey[]): number;
}

export function parseYamlDocs(text: string, file: string): SourcedDoc[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const out: SourcedDoc[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
      throw new InputError(file, line, `invalid YAML: ${error.message.split('\n')[0]}`);
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new InputError(file, lineCounter.linePos(doc.range[0]).line, `invalid YAML: ${(e as Error).message}`);
    }
    out.push({ file, value, lineOf: (path) => lineCounter.linePos(offsetOf(doc, path)).line });
  }
  return out;
}

function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}
