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
  return new RstReader(file, lines, context, findings).read();
}

/** The file's own `.. |NAME| replace:: value` definitions: they hold for the whole file, before and after them. */
function ownSubstitutions(lines: readonly string[]): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of lines) {
    const m = SUBSTITUTION_DEFINITION.exec(line);
    if (m) own.set(m[1]!, rstUnescape(m[2]!.trim()));
  }
  return own;
}

interface Body {
  lines: SourceLine[];
  /** The first line after the body. */
  next: number;
  options: Record<string, string>;
}

/** The indented body after a directive or `::`: every line more indented than `base`, blank lines kept inside. */
function bodyAfter(lines: readonly string[], from: number, base: number): Body {
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
}

/** One file's lines read in order; each reading method takes a line's index and returns the last line it read. */
class RstReader {
  private readonly chapters: Chapter[] = [];
  private blocks: DocBlock[] = [];
  private title: string | undefined;
  private heading: string | undefined;
  private paragraph: SourceLine[] = [];
  /** The paragraph before ended in `::`: an indented literal block follows. */
  private literalNext = false;
  private readonly own: Map<string, string>;

  constructor(
    private readonly file: string,
    private readonly lines: readonly string[],
    private readonly context: RstContext,
    private readonly findings: Finding[],
  ) {
    this.own = ownSubstitutions(lines);
  }

  read(): Chapter[] {
    for (let i = 0; i < this.lines.length; i++) i = this.line(i);
    this.flush();
    if (this.blocks.length || this.chapters.length === 0) this.chapters.push({ file: this.file, title: this.title, mode: 'markdown', blocks: this.blocks });
    return this.chapters;
  }

  private line(i: number): number {
    const line = this.lines[i]!;
    const next = this.lines[i + 1];
    // A section title: text over an underline at least as long (an overline above it is optional).
    if (line.trim() !== '' && !UNDERLINE.test(line) && indentOf(line) === 0 && next !== undefined && UNDERLINE.test(next) && next.trim().length >= line.trim().length) {
      return this.sectionTitle(i);
    }
    if (UNDERLINE.test(line) && this.lines[i + 2] !== undefined && UNDERLINE.test(this.lines[i + 2]!)) return i; // an overline
    const directive = DIRECTIVE.exec(line);
    if (directive) return this.directive(i, directive);
    if (line.trim() === '' || SUBSTITUTION_DEFINITION.test(line)) {
      this.flush();
      return i;
    }
    if (this.literalNext && indentOf(line) > 0) return this.literalBlock(i);
    this.paragraph.push({ text: line, line: i + 1 });
    return i;
  }

  /** The paragraph read so far, as prose. */
  private flush(): void {
    if (this.paragraph.length) {
      const body = this.paragraph.map((l) => l.text.trim()).join('\n');
      this.blocks.push({ kind: 'prose', line: this.paragraph[0]!.line, text: body });
      this.literalNext = body.endsWith('::');
    }
    this.paragraph = [];
  }

  private sectionTitle(i: number): number {
    this.flush();
    this.heading = this.lines[i]!.trim();
    this.title ??= this.heading;
    this.blocks.push({ kind: 'prose', line: i + 1, text: this.heading, heading: true });
    return i + 1;
  }

  private directive(i: number, [, indent, name, argument]: RegExpExecArray): number {
    this.flush();
    this.literalNext = false;
    const base = indent!.length;
    if (CODE_DIRECTIVES.has(name!)) return this.codeDirective(i, base, name!, argument!);
    if (name === 'literalinclude') return this.literalInclude(i, base, argument!);
    if (name === 'include') this.include(i, argument!);
    // Other directives (note, tabs, group-tab, ...) hold text and code: their lines are read as they come.
    return i;
  }

  private codeDirective(i: number, base: number, name: string, argument: string): number {
    const { lines: body, next: after } = bodyAfter(this.lines, i + 1, base);
    const lang = name === 'parsed-literal' ? undefined : argument.trim().toLowerCase() || undefined;
    this.blocks.push({ kind: 'code', line: i + 1, lang: lang === 'shell-session' || lang === 'console' ? 'shell' : lang, lines: name === 'parsed-literal' ? this.substitute(body) : body });
    return after - 1;
  }

  private literalInclude(i: number, base: number, argument: string): number {
    const { next: after, options } = bodyAfter(this.lines, i + 1, base);
    const lang = options.language?.toLowerCase();
    this.blocks.push({ kind: 'include', line: i + 1, lang: lang ?? (/\.ya?ml$/.test(argument) ? 'yaml' : undefined), path: argument.trim() });
    return after - 1;
  }

  private include(i: number, argument: string): void {
    const parts = this.context.include?.(argument.trim(), i + 1);
    if (!parts) return;
    // The text after the include goes on under the heading before it.
    if (this.blocks.length) this.chapters.push({ file: this.file, title: this.title, mode: 'markdown', blocks: this.blocks });
    this.chapters.push(...parts.map((p) => ({ ...p, title: this.heading ?? p.title })));
    this.blocks = [];
    this.title = this.heading ?? this.title;
  }

  /** The literal block a paragraph ending in `::` announces. */
  private literalBlock(i: number): number {
    const base = indentOf(this.lines[i]!) - 1;
    const { lines: body, next: after } = bodyAfter(this.lines, i, base);
    this.blocks.push({ kind: 'code', line: i + 1, lines: body });
    this.literalNext = false;
    return after - 1;
  }

  // A parsed-literal is inline markup: `\ ` (an escaped space) renders as nothing and `\/` as `/`, which is how
  // `\ |SCM_WEB|\/examples/...` puts a substitution inside a word (docutils' spec, "Escaping Mechanism").
  private substitute(body: SourceLine[]): SourceLine[] {
    return body.map((l) => ({
      ...l,
      text: rstUnescape(l.text, (name) => {
        const value = this.context.substitutions.value(name, this.own);
        if (typeof value === 'string') return value;
        this.findings.push({ file: this.file, line: l.line, severity: 'warning', rule: 'substitution-unknown', message: `|${name}| ${value.why}: left as written` });
        return undefined;
      }),
    }));
  }
}
