// A tutorial on disk: one file, or a Hugo content tree whose chapters are read in the order the site shows them
// (weight, then path, section by section), because what one chapter applies is still there in the next.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../input/input-error.ts';
import { readTextFile } from '../../input/read-text.ts';
import { filesUnder } from '../../input/walk-files.ts';
import type { Chapter, Finding } from './blocks.ts';
import { readChapter, readFrontMatter } from './chapter.ts';
import { includedFiles, readSphinxFile } from './sphinx.ts';

export interface Tutorial {
  /** The folder the tutorial's own paths are resolved in. */
  root: string;
  /** The Hugo site root (where `readfile` paths start), when one was found; else root. */
  siteRoot: string;
  chapters: Chapter[];
  findings: Finding[];
}

// Hugo's site configuration: hugo.* (0.110+) or config.*, at the root or in config/_default; params may have a file of their own.
const SITE_CONFIGS = ['hugo', 'config', 'config/_default/hugo', 'config/_default/config', 'config/_default/params'].flatMap((n) => ['toml', 'yaml', 'yml'].map((e) => `${n}.${e}`));

/** Markdown, MDX and reStructuredText chapters. */
const CHAPTER = /\.(md|mdx|markdown|rst)$/i;

/** What the docs config says about reading: reStructuredText substitutions, and the variant shown. */
export interface ReadOptions {
  substitutions?: Record<string, string>;
  variant?: string;
}

export async function readTutorial(target: string, options: ReadOptions = {}): Promise<Tutorial> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new InputError(target, undefined, 'no such file or folder');
  // Anything but a folder is read as one chapter file (a FIFO or a device is refused there, by what it is).
  const single = !info.isDirectory();
  const root = single ? path.dirname(target) : target;
  const files = single ? [target] : await chapterFiles(target);
  if (files.length === 0) throw new InputError(target, undefined, 'holds no markdown or reStructuredText files (*.md, *.mdx, *.rst)');
  const findings: Finding[] = [];
  const site = await siteConfig(root, findings);
  // Docusaurus reads .md as MDX too (its markdown.format defaults to 'mdx').
  const mdx = docusaurusSite(root);
  const texts = new Map<string, string>();
  for (const file of files) texts.set(file, await readTextFile(file));
  // A file another one includes is read there, in its place, not as a chapter of its own.
  const included = new Set([...texts].filter(([f]) => /\.rst$/i.test(f)).flatMap(([f, text]) => includedFiles(text, f)));
  const chapters: Chapter[] = [];
  for (const [file, text] of texts) {
    if (!single && included.has(path.resolve(file))) continue;
    if (/\.rst$/i.test(file)) chapters.push(...(await readSphinxFile(file, text, options, findings)));
    else chapters.push(readChapter(file, text, site.params, findings, { ...options, mdx: mdx || /\.mdx$/i.test(file) }));
  }
  return { root, siteRoot: site.root ?? root, chapters, findings };
}

/**
 * Markdown files under a folder, ordered like Hugo's menu: by weight (unset or 0 last, as Hugo's DefaultPageSort in
 * resources/page/pages_sort.go puts a zero weight after every other), then by path, per section.
 */
async function chapterFiles(folder: string): Promise<string[]> {
  const entries = await filesUnder(folder, (name) => CHAPTER.test(name));
  const weights = new Map<string, number>();
  for (const file of entries) weights.set(file, readFrontMatter(file, await readTextFile(file), []).weight || Number.POSITIVE_INFINITY);
  const isIndex = (file: string) => /^_?index\.(md|mdx|markdown|rst)$/i.test(path.basename(file));
  // A page sorts under its section's own key, which is its _index.md's weight and folder name.
  const key = (file: string): [number, string][] => {
    const rel = path.relative(folder, file).split(path.sep);
    const parts: [number, string][] = [];
    for (let depth = 1; depth < rel.length; depth++) {
      const dir = path.join(folder, ...rel.slice(0, depth));
      const index = entries.find((e) => path.dirname(e) === dir && isIndex(e));
      parts.push([index ? weights.get(index)! : Number.POSITIVE_INFINITY, rel[depth - 1]!]);
    }
    // The section's own page comes before its children.
    parts.push(isIndex(file) ? [Number.NEGATIVE_INFINITY, ''] : [weights.get(file)!, rel.at(-1)!]);
    return parts;
  };
  const compare = (a: [number, string][], b: [number, string][]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const [wa, na] = a[i]!;
      const [wb, nb] = b[i]!;
      if (wa !== wb) return wa < wb ? -1 : 1;
      if (na !== nb) return na.localeCompare(nb);
    }
    return a.length - b.length;
  };
  return entries.sort((a, b) => compare(key(a), key(b)));
}

/** Whether a Docusaurus config (docusaurus.config.js, .ts, .mjs) is at or above the tutorial, up to the repository. */
function docusaurusSite(from: string): boolean {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (['js', 'ts', 'mjs'].some((e) => existsSync(path.join(dir, `docusaurus.config.${e}`)))) return true;
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return false;
  }
}

/** The site's params, from the nearest Hugo config at or above the tutorial. */
async function siteConfig(from: string, findings: Finding[]): Promise<{ root?: string; params: Record<string, unknown> }> {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    for (const name of SITE_CONFIGS) {
      const file = path.join(dir, name);
      if (!existsSync(file)) continue;
      const text = await readTextFile(file);
      try {
        const config = (name.endsWith('.toml') ? parseToml(text) : parseYaml(text)) as Record<string, unknown>;
        const params = name.includes('params.') ? config : ((config.params ?? {}) as Record<string, unknown>);
        return { root: dir, params };
      } catch (e) {
        // smol-toml and yaml both say where: TomlError.line, YAMLError.linePos.
        const where = e as { line?: number; linePos?: { line: number }[] };
        const line = where.line ?? where.linePos?.[0]?.line;
        findings.push({ file, ...(line !== undefined && { line }), severity: 'error', rule: 'bad-site-config', message: `cannot read the site config (${(e as Error).message.split('\n')[0]}): params ignored` });
        return { root: dir, params: {} };
      }
    }
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return { params: {} };
  }
}
