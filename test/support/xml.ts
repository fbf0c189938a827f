// XML read back into elements, for the tests of our JUnit file. No XML parser is among the dependencies, and the
// file is ours and small in grammar (elements, attributes, text; no DTD, comments or CDATA), so this is a strict
// hand check: xmlProblem (test/support/hostile.ts) first, which rejects what is not well-formed, then a tree with
// attribute values and text unescaped, as a parser gives them to a CI tool.
import { xmlProblem } from './hostile.ts';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const fromEntities = (s: string) => s.replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (_, e: string) => (e.startsWith('#') ? String.fromCodePoint(Number(e.startsWith('#x') ? `0${e.slice(1)}` : e.slice(1))) : ENTITIES[e]!));

/** The document's root element; throws at the first thing that is not well-formed. */
export function parseXml(text: string): XmlElement {
  const problem = xmlProblem(text);
  if (problem) throw new Error(problem);
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')) throw new Error('no XML declaration');
  const root: XmlElement = { name: '', attributes: {}, children: [], text: '' };
  const stack = [root];
  for (const m of text.slice(text.indexOf('?>') + 2).matchAll(/<(\/?)([\w.-]+)((?:\s+[\w.:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g)) {
    const [, close, name, attrs, selfClose, chars] = m;
    const top = stack.at(-1)!;
    if (chars !== undefined) top.text += fromEntities(chars);
    else if (close) stack.pop();
    else {
      const element = { name: name!, attributes: Object.fromEntries([...attrs!.matchAll(/([\w.:-]+)="([^"]*)"/g)].map(([, k, v]) => [k!, fromEntities(v!)])), children: [], text: '' };
      top.children.push(element);
      if (!selfClose) stack.push(element);
    }
  }
  if (root.children.length !== 1) throw new Error(`${root.children.length} root elements`);
  return root.children[0]!;
}

/** Every element of `name` under `element`, at any depth. */
export const elements = (element: XmlElement, name: string): XmlElement[] => element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...elements(c, name)]);
