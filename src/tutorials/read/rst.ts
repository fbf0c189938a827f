// Reads a reStructuredText chapter (the Cilium docs' format) into the same document-ordered blocks as markdown:
// section titles (a line underlined, and maybe overlined, with one punctuation character) become headings, and
// `.. code-block::`/`.. code::`/`.. sourcecode::`, `.. parsed-literal::` (with |SUBSTITUTIONS|), literal blocks after
// `::`, and `.. literalinclude::` become code and includes, at any nesting depth (inside tabs and admonitions).
// `.. include::` splices the chapters of the file it names. Grammar: docutils' reStructuredText Markup Specification.
import type { Chapter, DocBlock, Finding, SourceLine } from './blocks.ts';
import { rstUnescape, type Substitutions } from './rst-substitutions.ts';
import { hiddenRstLines } from './rst-variants.ts';

export interface RstContext {
  substitutions: Substitutions;
  /** The tags Sphinx's `only` tests, and the tab read (the docs config's `variant`). */
  tags: ReadonlySet<string>;
  variant?: string;
  /** The chapters of an included file, or undefined when it cannot be read (the callee says why). */
  include?: (written: string, line: number) => Chapter[] | undefined;
}

const UNDERLINE = /^([=\-~^"'`#*+:.<>_])\1{2,}\s*$/;
const DIRECTIVE = /^(\s*)\.\.\s+([\w:-]+)::\s*(.*)$/;
const CODE_DIRECTIVES = new Set(['code-block', 'code', 'sourcecode', 'parsed-literal', 'prompt']);

const indentOf = (line: string) => line.length - line.trimStart().length;

const SUBSTITUTION_DEFINITION = /^\s*\.\.\s+\|([^|]+)\|\s+replace::\s*(.*)$/;

/** The file's chapters: one, or, around each `.. include::`, the part before, the included file's, the part after. */
export function readRstChapter(file: string, text: string, context: RstContext, findings: Finding[]): Chapter[] {
  const source = text.split(/\r?\n/);
  // What the page does not show is read as blank lines, which keeps every line number the file's.
  const hidden = hiddenRstLines(source, context.tags, context.variant);
  const lines = source.map((l, i) => (hidden.has(i) ? '' : l));
  // The file's own `.. |NAME| replace:: value` definitions hold for the whole file, before and after them.
  const own = new Map<string, string>();
  for (const line of lines) {
    const m = SUBSTITUTION_DEFINITION.exec(line);
    if (m) own.set(m[1]!, rstUnescape(m[2]!.trim()));
  }
  const chapters: Chapter[] = [];
  let blocks: DocBlock[] = [];
  let title: string | undefined;
  let heading: string | undefined;
  let paragraph: SourceLine[] = [];
  let literalNext = false;
  const flush = () => {
    if (paragraph.length) {
      const body = paragraph.map((l) => l.text.trim()).join('\n');
      blocks.push({ kind: 'prose', line: paragraph[0]!.line, text: body });
      literalNext = body.endsWith('::');
    }
    paragraph = [];
  };
  /** The indented body after a directive or `::`: every line more indented than `base`, blank lines kept inside. */
  const bodyAfter = (from: number, base: number): { lines: SourceLine[]; next: number; options: Record<string, string> } => {
    const options: Record<string, string> = {};
    let i = from;
    // Options (`:language: yaml`) come first, right under the directive.
    for (; i < lines.length && lines[i]!.trim().startsWith(':') && indentOf(lines[i]!) > base; i++) {
      const m = /^:([\w-]+):\s*(.*)$/.exec(lines[i]!.trim());
      if (m) options[m[1]!] = m[2]!;
    }
    const body: SourceLine[] = [];
    let indent: number | undefined;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') {
        if (indent !== undefined) body.push({ text: '', line: i + 1 });
        continue;
      }
      if (indentOf(line) <= base) break;
      indent ??= indentOf(line);
      body.push({ text: line.slice(Math.min(indent, indentOf(line))), line: i + 1 });
    }
    while (body.length && body.at(-1)!.text === '') body.pop();
    return { lines: body, next: i, options };
  };
  // A parsed-literal is inline markup: `\ ` (an escaped space) renders as nothing and `\/` as `/`, which is how
  // `\ |SCM_WEB|\/examples/...` puts a substitution inside a word (docutils' spec, "Escaping Mechanism").
  const substitute = (body: SourceLine[]) =>
    body.map((l) => ({
      ...l,
      text: rstUnescape(l.text, (name) => {
        const value = context.substitutions.value(name, own);
        if (typeof value === 'string') return value;
        findings.push({ file, line: l.line, severity: 'warning', rule: 'substitution-unknown', message: `|${name}| ${value.why}: left as written` });
        return undefined;
      }),
    }));

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    // A section title: text over an underline at least as long (an overline above it is optional).
    if (line.trim() !== '' && !UNDERLINE.test(line) && indentOf(line) === 0 && next !== undefined && UNDERLINE.test(next) && next.trim().length >= line.trim().length) {
      flush();
      heading = line.trim();
      title ??= heading;
      blocks.push({ kind: 'prose', line: i + 1, text: heading, heading: true });
      i++;
      continue;
    }
    if (UNDERLINE.test(line) && lines[i + 2] !== undefined && UNDERLINE.test(lines[i + 2]!)) continue; // an overline
    const directive = DIRECTIVE.exec(line);
    if (directive) {
      flush();
      literalNext = false;
      const [, indent, name, argument] = directive;
      const base = indent!.length;
      if (CODE_DIRECTIVES.has(name!)) {
        const { lines: body, next: after } = bodyAfter(i + 1, base);
        const lang = name === 'parsed-literal' ? undefined : argument!.trim().toLowerCase() || undefined;
        blocks.push({ kind: 'code', line: i + 1, lang: lang === 'shell-session' || lang === 'console' ? 'shell' : lang, lines: name === 'parsed-literal' ? substitute(body) : body });
        i = after - 1;
      } else if (name === 'literalinclude') {
        const { next: after, options } = bodyAfter(i + 1, base);
        const lang = options.language?.toLowerCase();
        blocks.push({ kind: 'include', line: i + 1, lang: lang ?? (/\.ya?ml$/.test(argument!) ? 'yaml' : undefined), path: argument!.trim() });
        i = after - 1;
      } else if (name === 'include') {
        const parts = context.include?.(argument!.trim(), i + 1);
        if (parts) {
          // The text after the include goes on under the heading before it.
          if (blocks.length) chapters.push({ file, title, mode: 'markdown', blocks });
          chapters.push(...parts.map((p) => ({ ...p, title: heading ?? p.title })));
          blocks = [];
          title = heading ?? title;
        }
      }
      // Other directives (note, tabs, group-tab, ...) hold text and code: their lines are read as they come.
      continue;
    }
    if (line.trim() === '' || SUBSTITUTION_DEFINITION.test(line)) {
      flush();
      continue;
    }
    if (literalNext && indentOf(line) > 0) {
      // The literal block a paragraph ending in `::` announces.
      const base = indentOf(line) - 1;
      const { lines: body, next: after } = bodyAfter(i, base);
      blocks.push({ kind: 'code', line: i + 1, lines: body });
      literalNext = false;
      i = after - 1;
      continue;
    }
    paragraph.push({ text: line, line: i + 1 });
  }
  flush();
  if (blocks.length || chapters.length === 0) chapters.push({ file, title, mode: 'markdown', blocks });
  return chapters;
}
