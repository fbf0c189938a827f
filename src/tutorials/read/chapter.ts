// Reads one chapter: markdown (with positions, via mdast) and Hugo shortcodes into document-ordered blocks. A file
// with no code blocks at all is rendered text (a web page saved as text): it is read line by line instead.
import type { Code, Heading, Nodes, Paragraph } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { frontmatter } from 'micromark-extension-frontmatter';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../input/input-error.ts';
import { isCommandLine, PROMPT, type Chapter, type DocBlock, type Finding, type SourceLine } from './blocks.ts';
import { startsAsOutput } from './claimed-output.ts';
import { findShortcodes, paramValue, shortcodeArg, substituteParams, type Shortcode } from './shortcodes.ts';
import { readMdx } from './mdx.ts';
import { chooseVariants } from './variants.ts';

export interface FrontMatter {
  title?: string;
  weight?: number;
  /** Docusaurus's `sidebar_position`: any number, 0 included, orders a page where no Hugo weight does. */
  position?: number;
  params: Record<string, unknown>;
  /** Lines the front matter takes, including its fences. */
  lines: number;
}

export function readFrontMatter(file: string, text: string, findings: Finding[]): FrontMatter {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!match) return { params: {}, lines: 0 };
  const lines = match[0].split('\n').length - 1;
  let params: Record<string, unknown> = {};
  try {
    const value = parseYaml(match[1]!) as unknown;
    if (value && typeof value === 'object') params = value as Record<string, unknown>;
  } catch (e) {
    findings.push({ file, line: 1, severity: 'error', rule: 'bad-front-matter', message: `front matter is not valid YAML (${(e as Error).message.split('\n')[0]}): title, weight and params ignored` });
  }
  // Hugo's page weight is an integer; a NaN or 1.5 would make no order at all (every comparison with NaN is false,
  // which scrambled every chapter), so it is refused where it is written.
  if (typeof params.weight === 'number' && !Number.isInteger(params.weight)) {
    const at = match[1]!.split('\n').findIndex((l) => /^weight\s*:/.test(l));
    throw new InputError(file, at < 0 ? 1 : at + 2, `weight ${String(params.weight)} is not an integer: Hugo orders pages by integer weights (0 or none: after the weighted ones)`, 'weight');
  }
  const weight = typeof params.weight === 'number' ? params.weight : undefined;
  const position = typeof params.sidebar_position === 'number' && Number.isFinite(params.sidebar_position) ? params.sidebar_position : undefined;
  return { title: typeof params.title === 'string' ? params.title : undefined, weight, position, params, lines };
}

/**
 * The markdown parser's work grows with the nesting of block quotes and lists on every line (1,000 nested list levels
 * took 50 s): past these bounds a chapter is read line by line instead, with a finding that says so.
 */
const MAX_QUOTE_DEPTH = 32;
const MAX_INDENT = 128;

function tooDeep(lines: readonly string[]): { line: number; what: string } | undefined {
  for (const [i, line] of lines.entries()) {
    let quotes = 0;
    let at = 0;
    while (at < line.length && (line[at] === '>' || line[at] === ' ' || line[at] === '\t')) if (line[at++] === '>') quotes++;
    if (quotes > MAX_QUOTE_DEPTH) return { line: i + 1, what: `${quotes} block quotes deep` };
    const indent = line.length - line.trimStart().length;
    if (indent > MAX_INDENT && /^\s*([-*+]|\d+[.)])(\s|$)/.test(line)) return { line: i + 1, what: `a list item indented ${indent} columns` };
  }
  return undefined;
}

/** How a chapter is read: the variant to show (docs config `variant`; else the site's `enabledModule`), and as MDX. */
export interface ChapterOptions {
  variant?: string;
  mdx?: boolean;
}

export function readChapter(file: string, source: string, siteParams: Record<string, unknown>, findings: Finding[], options: ChapterOptions = {}): Chapter {
  const front = readFrontMatter(file, source, findings);
  const params = { ...siteParams, ...front.params };
  // onlyWhen tests the site's params, not the page's.
  const enabled = options.variant ?? String(paramValue(siteParams, 'enabledModule') ?? '');
  const shown = chooseVariants(file, source, enabled, (offset) => source.slice(0, offset).split('\n').length, findings);
  const mdx = options.mdx ? readMdx(file, shown, options.variant, findings) : undefined;
  const text = mdx?.text ?? shown;
  const deep = tooDeep(text.split('\n'));
  if (deep) {
    findings.push({ file, line: deep.line, severity: 'warning', rule: 'too-deep', message: `${deep.what} (more than ${MAX_QUOTE_DEPTH} quotes or ${MAX_INDENT} columns): the chapter is read line by line, as rendered text` });
    return {
      file,
      title: front.title,
      mode: 'text',
      blocks: textBlocks(
        text.split('\n').map((t) => substituteParams(t, params)),
        front.lines,
      ),
    };
  }
  const tree = fromMarkdown(text, { extensions: [frontmatter(['yaml'])], mdastExtensions: [frontmatterFromMarkdown(['yaml'])] });
  const codes: Code[] = [];
  const prose: (Paragraph | Heading)[] = [];
  const collect = (node: Nodes) => {
    if (node.type === 'code') codes.push(node);
    else if (node.type === 'paragraph' || node.type === 'heading') prose.push(node);
    else if ('children' in node) for (const child of node.children) collect(child);
  };
  collect(tree);
  const sourceLines = text.split('\n');
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const inCode = (offset: number) => codes.some((c) => c.position!.start.offset! <= offset && offset < c.position!.end.offset!);
  const shortcodes = findShortcodes(text).filter((s) => !inCode(s.start));
  const blocks: DocBlock[] = [];

  for (const code of codes) blocks.push(codeBlock(file, code, sourceLines, params, findings));
  blocks.push(...shortcodeBlocks(file, text, shortcodes, lineAt, params, findings), ...(mdx?.blocks ?? []));
  for (const node of prose) {
    const { start, end } = node.position!;
    const raw = text.slice(start.offset, end.offset);
    blocks.push({ kind: 'prose', line: start.line, text: substituteParams(raw, params).replace(/^#+\s*/, ''), heading: node.type === 'heading' });
  }
  // Without front matter, a README's title is its first top-level heading.
  const h1 = prose.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const title =
    front.title ??
    (h1
      ? text
          .slice(h1.position!.start.offset, h1.position!.end.offset)
          .replace(/^#+\s*/, '')
          .trim()
      : undefined);
  const hasCode = codes.length > 0 || !!mdx?.blocks.length || shortcodes.some((s) => s.name === 'highlight' || s.name === 'readfile' || EXAMPLE_SHORTCODES.has(s.name));
  if (!hasCode) {
    return {
      file,
      title,
      mode: 'text',
      blocks: textBlocks(
        sourceLines.map((t) => substituteParams(t, params)),
        front.lines,
      ),
    };
  }
  blocks.sort((a, b) => a.line - b.line);
  return { file, title, mode: 'markdown', blocks };
}

/** A code block as the text shows it, with its lines' numbers; an unclosed fence is a finding. */
function codeBlock(file: string, code: Code, sourceLines: readonly string[], params: Record<string, unknown>, findings: Finding[]): DocBlock {
  const start = code.position!.start.line;
  const fenced = /^\s*(```|~~~)/.test(sourceLines[start - 1] ?? '');
  const first = fenced ? start + 1 : start;
  // An unclosed fence runs to the end of its container: what follows is read as code, not as the text it was.
  const fence = /^\s*(`{3,}|~{3,})/.exec(sourceLines[start - 1] ?? '')?.[1];
  const last = code.position!.end.line;
  if (fence && (last === start || !sourceLines[last - 1]!.trim().startsWith(fence))) {
    findings.push({ file, line: start, severity: 'error', rule: 'unclosed-fence', message: `the code block opened here is never closed: lines ${start + 1}-${last} are read as one code block` });
  }
  // A command word can be a param (`{{% param cliToolName %}} exec ...`): Hugo renders it inside code blocks too.
  const lines = code.value === '' ? [] : code.value.split('\n').map((t, i) => ({ text: substituteParams(t, params), line: first + i }));
  return { kind: 'code', line: start, lang: code.lang?.toLowerCase() ?? undefined, lines };
}

const EXAMPLE_SHORTCODES = new Set(['codenew', 'code', 'code_sample']);

function shortcodeBlocks(file: string, text: string, shortcodes: Shortcode[], lineAt: (offset: number) => number, params: Record<string, unknown>, findings: Finding[]): DocBlock[] {
  const blocks: DocBlock[] = [];
  const ignored = new Map<string, number[]>();
  let highlight: Shortcode | undefined;
  for (const s of shortcodes) {
    if (s.name === 'highlight') {
      if (!s.closing) highlight = s;
      else if (highlight) {
        const body = text.slice(highlight.end, s.start);
        const include = findShortcodes(body).find((c) => c.name === 'readfile');
        const lang = shortcodeArg(highlight.args)?.toLowerCase();
        const line = lineAt(highlight.start);
        if (!include) {
          const first = lineAt(highlight.end);
          const lines = body
            .replace(/^\r?\n/, '')
            .replace(/\r?\n$/, '')
            .split('\n')
            .map((t, i) => ({ text: substituteParams(t, params), line: first + (body.startsWith('\n') ? 1 : 0) + i }));
          blocks.push({ kind: 'code', line, lang, lines });
        }
        highlight = undefined;
      }
    } else if (s.name === 'readfile' && !s.closing) {
      const path = shortcodeArg(s.args, 'file');
      const line = lineAt(s.start);
      if (!path) findings.push({ file, line, severity: 'error', rule: 'bad-shortcode', message: 'readfile without file="..."' });
      else blocks.push({ kind: 'include', line, lang: highlight ? shortcodeArg(highlight.args)?.toLowerCase() : /\.ya?ml$/.test(path) ? 'yaml' : undefined, path });
    } else if (EXAMPLE_SHORTCODES.has(s.name) && !s.closing) {
      // The Kubernetes website's examples: `{{< codenew file="service/networking/x.yaml" >}}` (content/<lang>/examples).
      const path = shortcodeArg(s.args, 'file');
      const line = lineAt(s.start);
      if (!path) findings.push({ file, line, severity: 'error', rule: 'bad-shortcode', message: `${s.name} without file="..."` });
      else blocks.push({ kind: 'include', line, lang: /\.ya?ml$/.test(path) ? 'yaml' : undefined, path, examples: true });
    } else if (s.name !== 'param' && !s.closing) {
      ignored.set(s.name, [...(ignored.get(s.name) ?? []), lineAt(s.start)]);
    }
  }
  for (const [name, lines] of ignored) {
    findings.push({ file, line: lines[0], severity: 'warning', rule: 'shortcode-ignored', message: `shortcode "${name}" ignored (lines ${lines.join(', ')}): only highlight, readfile, codenew, code, code_sample and param are read` });
  }
  return blocks;
}

/** Rendered text: blank-line separated chunks; a chunk that parses as a manifest is YAML, command lines start code. */
function textBlocks(lines: string[], skip: number): DocBlock[] {
  const blocks: DocBlock[] = [];
  let chunk: SourceLine[] = [];
  const flush = () => {
    if (chunk.length) blocks.push(...chunkBlocks(chunk, blocks.at(-1)?.kind === 'code'));
    chunk = [];
  };
  for (const [i, text] of lines.entries()) {
    if (i < skip) continue;
    if (text.trim() === '') flush();
    else chunk.push({ text, line: i + 1 });
  }
  flush();
  return blocks;
}

function chunkBlocks(chunk: SourceLine[], afterCode: boolean): DocBlock[] {
  const body = chunk.map((l) => l.text).join('\n');
  if (/^(---\s*\n)?(apiVersion|kind):/m.test(body) && looksLikeManifest(body)) return [{ kind: 'code', line: chunk[0]!.line, lang: 'yaml', lines: chunk }];
  // A command, or a line typed at a pod's prompt (an interactive session shown as text).
  const k = chunk.findIndex((l) => isCommandLine(l.text) || PROMPT.test(l.text));
  // A box of output right after the command's box: the command's output, not prose.
  if (k < 0 && afterCode && startsAsOutput(chunk[0]!.text)) return [{ kind: 'code', line: chunk[0]!.line, lines: chunk }];
  if (k < 0) return [{ kind: 'prose', line: chunk[0]!.line, text: body, heading: chunk.length === 1 && body.length < 80 && !/[.:]$/.test(body) }];
  const out: DocBlock[] = [];
  if (k > 0)
    out.push({
      kind: 'prose',
      line: chunk[0]!.line,
      text: chunk
        .slice(0, k)
        .map((l) => l.text)
        .join('\n'),
    });
  out.push({ kind: 'code', line: chunk[k]!.line, lines: chunk.slice(k) });
  return out;
}

function looksLikeManifest(body: string): boolean {
  try {
    const value = parseYaml(body.replace(/^---\s*\n/, '')) as { kind?: unknown } | null;
    return typeof value === 'object' && value !== null && typeof value.kind === 'string';
  } catch {
    return false;
  }
}
