// MDX chapters (Docusaurus): markdown with ESM and JSX. Before the markdown is parsed, what is not text is taken out,
// lines kept: `import`/`export` blocks, JSX component tags (their children stay: an admonition's or a tab's text is
// text), `{/* comments */}`, admonition fences (`:::note`), and every tab of a `<Tabs>` but the one shown. A
// `<CodeBlock>` becomes a code block, or an include when its child is a file imported with `!!raw-loader!`.
import path from 'node:path';
import { blankRanges, type Range } from './blank.ts';
import type { DocBlock, Finding, SourceLine } from './blocks.ts';

interface Tag {
  name: string;
  attrs: string;
  closing: boolean;
  selfClosing: boolean;
  start: number;
  end: number;
}

interface OpenTag extends Tag {
  /** For a `<Tabs>`: its items, in order. */
  items?: { tag: Tag; range: Range }[];
}

/** A JSX attribute: `value="x"`, `value={'x'}`, or a bare `default` (true). */
function attr(attrs: string, name: string): string | true | undefined {
  const m = new RegExp(`(?:^|\\s)${name}(?:=(?:"([^"]*)"|'([^']*)'|\\{\\s*["'\`]([^"'\`]*)["'\`]\\s*\\}))?(?=\\s|/|$)`).exec(attrs);
  if (!m) return undefined;
  return m[1] ?? m[2] ?? m[3] ?? true;
}

/** Fenced code in the source (its lines are code, never JSX): from each opening fence to its closing one. */
function fencedRanges(text: string): Range[] {
  const ranges: Range[] = [];
  let open: { fence: string; start: number } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const fence = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (open && fence && fence[0] === open.fence[0] && fence.length >= open.fence.length && line.trim() === fence) {
      ranges.push({ start: open.start, end: offset + line.length });
      open = undefined;
    } else if (!open && fence) open = { fence, start: offset };
    offset += line.length + 1;
  }
  if (open) ranges.push({ start: open.start, end: text.length });
  return ranges;
}

/** The end of a JSX tag that starts at `from` (`<`): past `>`, skipping quoted strings and `{...}` expressions. */
function tagEnd(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return -1;
}

/** Chooses the tab read, as Docusaurus does (tabsUtils.tsx, getInitialStateValue): the docs config's variant, else `defaultValue`, else the item marked `default`, else the first. */
function chosenTab(tabs: OpenTag, variant: string | undefined): number {
  const items = tabs.items ?? [];
  const values = items.map((i) => attr(i.tag.attrs, 'value'));
  const wanted = variant?.split(/\s+/) ?? [];
  const byVariant = values.findIndex((v) => typeof v === 'string' && wanted.includes(v));
  if (byVariant >= 0) return byVariant;
  const defaultValue = attr(tabs.attrs, 'defaultValue');
  const byDefault = typeof defaultValue === 'string' ? values.indexOf(defaultValue) : -1;
  if (byDefault >= 0) return byDefault;
  const marked = items.findIndex((i) => attr(i.tag.attrs, 'default') === true);
  return Math.max(marked, 0);
}

export function readMdx(file: string, text: string, variant: string | undefined, findings: Finding[]): { text: string; blocks: DocBlock[] } {
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const fenced = fencedRanges(text);
  const inFence = (offset: number) => fenced.some((r) => r.start <= offset && offset < r.end);
  const hide: Range[] = [];
  const raw = new Map<string, string>();

  // ESM: an `import`/`export` at the start of a line runs to the next blank line (MDX's mdxjs-esm construct).
  const esm = /^(?:import|export)\s[\s\S]*?(?=\n[ \t]*\n|\n?$(?![\s\S]))/gm;
  for (const m of text.matchAll(esm)) {
    if (inFence(m.index)) continue;
    hide.push({ start: m.index, end: m.index + m[0].length });
    for (const imp of m[0].matchAll(/import\s+(\w+)\s+from\s+['"]!!raw-loader!([^'"]+)['"]/g)) raw.set(imp[1]!, imp[2]!);
  }
  const inEsm = (offset: number) => hide.some((r) => r.start <= offset && offset < r.end);
  // `<Tabs>` in backticks is the tag's name in a sentence: an odd number of backticks before it on its line.
  const inInlineCode = (offset: number) => (text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset).match(/`/g)?.length ?? 0) % 2 === 1;

  // Admonition fences: the line goes, the text inside stays.
  for (const m of text.matchAll(/^[ \t]*:::.*$/gm)) if (!inFence(m.index)) hide.push({ start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(/\{\/\*[\s\S]*?\*\/\}/g)) if (!inFence(m.index)) hide.push({ start: m.index, end: m.index + m[0].length });

  const blocks: { block: DocBlock; range: Range }[] = [];
  const stack: OpenTag[] = [];
  for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) {
    // Components start with a capital letter; lowercase tags are HTML, which markdown reads as it is.
    const head = /^<(\/?)([A-Z][\w.]*)/.exec(text.slice(at, at + 100));
    if (!head || inFence(at) || inEsm(at) || inInlineCode(at)) continue;
    const end = tagEnd(text, at);
    if (end < 0) {
      findings.push({ file, line: lineAt(at), severity: 'error', rule: 'bad-jsx', message: `<${head[2]} is never closed with ">": the rest of the chapter is read as text` });
      break;
    }
    const source = text.slice(at, end);
    const tag: Tag = { name: head[2]!, attrs: source.slice(head[0].length, source.endsWith('/>') ? -2 : -1), closing: head[1] === '/', selfClosing: source.endsWith('/>'), start: at, end };
    hide.push(tag);
    at = end - 1;
    if (tag.selfClosing) continue;
    if (!tag.closing) {
      stack.push(tag.name === 'Tabs' ? { ...tag, items: [] } : tag);
      continue;
    }
    const k = lastIndex(stack, (t) => t.name === tag.name);
    if (k < 0) {
      findings.push({ file, line: lineAt(at), severity: 'error', rule: 'bad-jsx', message: `</${tag.name}> closes nothing: ignored` });
      continue;
    }
    const [opener] = stack.splice(k);
    const range = { start: opener!.start, end: tag.end };
    if (tag.name === 'TabItem') stack[lastIndex(stack, (t) => t.name === 'Tabs')]?.items?.push({ tag: opener!, range });
    else if (tag.name === 'Tabs') {
      const chosen = chosenTab(opener!, variant);
      opener!.items!.forEach((item, i) => i !== chosen && hide.push(item.range));
    } else if (tag.name === 'CodeBlock') {
      const block = codeBlock(file, text, opener!, tag, raw, lineAt, findings);
      if (block) blocks.push({ block, range });
      hide.push(range);
    }
  }
  for (const open of stack) findings.push({ file, line: lineAt(open.start), severity: 'error', rule: 'bad-jsx', message: `<${open.name}> is never closed: its children are read as text` });
  const shown = blocks.filter(({ range }) => !hide.some((h) => h.start <= range.start && range.end <= h.end && !(h.start === range.start && h.end === range.end)));
  return { text: blankRanges(text, hide), blocks: shown.map((b) => b.block) };
}

function lastIndex<T>(list: readonly T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return i;
  return -1;
}

/** `<CodeBlock language="yaml">{imported}</CodeBlock>` includes the imported file; literal children are the code. */
function codeBlock(file: string, text: string, open: Tag, close: Tag, raw: Map<string, string>, lineAt: (offset: number) => number, findings: Finding[]): DocBlock | undefined {
  // `language="yaml"`, or the older `className="language-yaml"`.
  const className = attr(open.attrs, 'className');
  const language = attr(open.attrs, 'language') ?? (typeof className === 'string' ? /(?:^|\s)language-(\S+)/.exec(className)?.[1] : undefined);
  const lang = typeof language === 'string' ? language.toLowerCase() : undefined;
  const inner = text.slice(open.end, close.start);
  const line = lineAt(open.start);
  const name = /^\s*\{\s*(\w+)\s*\}\s*$/.exec(inner)?.[1];
  if (name) {
    const imported = raw.get(name);
    if (!imported) {
      findings.push({ file, line, severity: 'warning', rule: 'not-followed', message: `<CodeBlock>{${name}}</CodeBlock>: ${name} is not a file imported with !!raw-loader!, so what it shows is unknown` });
      return undefined;
    }
    // `@site/` is Docusaurus's alias for the site's folder, which a path from the site root already is.
    const written = imported.replace(/^@site\//, '/');
    return { kind: 'include', line, lang: lang ?? (/\.ya?ml$/.test(written) ? 'yaml' : undefined), path: written.startsWith('/') ? written : path.posix.normalize(written) };
  }
  // Children written as a template literal (`{`...`}`) or as text.
  const body = inner.replace(/^\s*\{`/, '').replace(/`\}\s*$/, '');
  const first = lineAt(open.end + inner.indexOf(body));
  const lines: SourceLine[] = body.split('\n').map((t, i) => ({ text: t, line: first + i }));
  while (lines.length && lines[0]!.text.trim() === '') lines.shift();
  while (lines.length && lines.at(-1)!.text.trim() === '') lines.pop();
  return { kind: 'code', line, lang: lang === 'shell-session' || lang === 'console' ? 'shell' : lang, lines };
}
