// YAML documents that remember where each value came from, so that any later check can name file and line.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { InputError } from './input-error.ts';

export interface SourcedDoc {
  readonly file: string;
  readonly value: unknown;
  /** The line of the deepest node on `path` that exists (the key's line for a map entry). */
  lineOf(path: readonly PropertyKey[]): number;
}

/** `firstLine`: where the text starts in its file (a code block in a tutorial), so that lines are the file's. */
export function parseYamlDocs(text: string, file: string, firstLine = 1): SourcedDoc[] {
  const counted = new LineCounter();
  const lineCounter = { linePos: (offset: number) => ({ line: counted.linePos(offset).line + firstLine - 1 }) };
  // The parser's own duplicate-key check compares each key with every earlier one: ours (below) is linear.
  const docs = parseAllDocuments(text, { lineCounter: counted, uniqueKeys: false, prettyErrors: false });
  const out: SourcedDoc[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos ? error.linePos[0].line + firstLine - 1 : lineCounter.linePos(error.pos[0]).line;
      // The parser reports its own stack overflow as an error of the document.
      const message = /call stack/i.test(error.message) ? TOO_DEEP : error.message.split('\n')[0];
      throw new InputError(file, line, `invalid YAML: ${message}`);
    }
    if (doc.contents === null) continue;
    const deep = tooDeep(doc.contents as Node);
    if (deep !== undefined) throw new InputError(file, lineCounter.linePos(deep).line, `invalid YAML: ${TOO_DEEP}`);
    const duplicate = firstDuplicateKey(doc);
    if (duplicate) throw new InputError(file, lineCounter.linePos(duplicate.offset).line, `invalid YAML: Map keys must be unique ("${duplicate.key}" appears twice)`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new InputError(file, lineCounter.linePos(doc.range[0]).line, `invalid YAML: ${(e as Error).message}`);
    }
    const index = new WeakMap<YAMLMap, Map<string, Pair>>();
    out.push({ file, value, lineOf: (path) => lineCounter.linePos(offsetOf(doc, path, index)).line });
  }
  return out;
}

/** Deeper than any suite, manifest or config is; what walks a document afterwards (ours, toJS, zod) recurses. */
export const MAX_YAML_DEPTH = 128;
const TOO_DEEP = `nested more than ${MAX_YAML_DEPTH} levels deep`;

/** The offset of the first node nested deeper than MAX_YAML_DEPTH, found without recursion; undefined when none is. */
function tooDeep(root: Node): number | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_YAML_DEPTH) return node.range?.[0] ?? 0;
    for (const item of node.items) {
      if (isMap(node)) stack.push([(item as Pair).key, depth + 1], [(item as Pair).value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

const keyOf = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

function firstDuplicateKey(doc: Document): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = keyOf(pair);
        if (seen.has(key)) {
          found = { key, offset: (pair.key as Node | null)?.range?.[0] ?? 0 };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** Each map's pairs by key, built the first time the map is looked into: a lookup is then constant time. */
function pairOf(map: YAMLMap, key: string, index: WeakMap<YAMLMap, Map<string, Pair>>): Pair | undefined {
  let pairs = index.get(map);
  if (!pairs) {
    pairs = new Map(map.items.map((p) => [keyOf(p as Pair), p as Pair]));
    index.set(map, pairs);
  }
  return pairs.get(key);
}

function offsetOf(doc: Document, path: readonly PropertyKey[], index: WeakMap<YAMLMap, Map<string, Pair>>): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = pairOf(node, String(segment), index);
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
