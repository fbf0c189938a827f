// A reStructuredText file as Sphinx builds it: with the substitutions of the conf.py above it, and with the files
// its `.. include::` directives name read in their place.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readTextFile } from '../../input/read-text.ts';
import type { Chapter, Finding } from './blocks.ts';
import { readRstChapter } from './rst.ts';
import { confSubstitutions, Substitutions } from './rst-substitutions.ts';
import type { ReadOptions } from './tutorial.ts';

/** Includes nested deeper than this are a loop the reader does not follow. */
const MAX_INCLUDE_DEPTH = 8;

const INCLUDE = /^\s*\.\.\s+include::\s*(\S+)\s*$/gm;

/** The nearest conf.py at or above a folder (a Sphinx source folder's root), up to the repository's. */
export function sphinxRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'conf.py'))) return dir;
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Where `.. include:: P` points: Sphinx's Include directive resolves P with env.relfn2path, for which a path
 * starting with / is from the source folder (conf.py's) and any other is from the folder of the document being
 * built, env.docname, which an included file does not change (sphinx-doc/sphinx sphinx/directives/other.py
 * Include.run, sphinx/environment/__init__.py relfn2path).
 */
function includeTarget(written: string, document: string, root: string | undefined): string {
  return written.startsWith('/') ? path.join(root ?? path.dirname(document), written) : path.resolve(path.dirname(document), written);
}

/** The files a text includes, resolved for the document being built (the text's own file, unless it is included). */
export function includedFiles(text: string, document: string): string[] {
  const root = sphinxRoot(path.dirname(document));
  return [...text.matchAll(INCLUDE)].map((m) => includeTarget(m[1]!, document, root));
}

/**
 * The tags an HTML build sets (the builder's format and name, sphinx/builders/__init__.py Builder.__init__:
 * tags.add(format), tags.add(name), format_html, builder_html), and the docs config's variant words.
 */
function buildTags(variant: string | undefined): Set<string> {
  return new Set(['html', 'format_html', 'builder_html', ...(variant?.split(/\s+/).filter(Boolean) ?? [])]);
}

export async function readSphinxFile(file: string, text: string, options: ReadOptions, findings: Finding[]): Promise<Chapter[]> {
  const configured = options.substitutions ?? {};
  const tags = buildTags(options.variant);
  const root = sphinxRoot(path.dirname(file));
  const conf = root && path.join(root, 'conf.py');
  // Included files are named as the tutorial's own are (absolute or relative, as given).
  const top = path.resolve(file);
  const named = (f: string) => (f === top ? file : path.isAbsolute(file) ? f : path.relative(process.cwd(), f));
  const substitutions = new Substitutions(configured, conf ? confSubstitutions(await readTextFile(conf), named(conf)) : new Map(), conf && named(conf));
  // Included files are read ahead: the reader itself is synchronous.
  const texts = new Map<string, string>([[top, text]]);
  const load = async (f: string, depth: number) => {
    if (depth > MAX_INCLUDE_DEPTH) return;
    for (const target of includedFiles(texts.get(f)!, top)) {
      if (texts.has(target) || !existsSync(target)) continue;
      texts.set(target, await readTextFile(target));
      await load(target, depth + 1);
    }
  };
  await load(top, 0);
  const read = (f: string, chain: string[]): Chapter[] =>
    readRstChapter(
      named(f),
      texts.get(f)!,
      {
        substitutions,
        tags,
        ...(options.variant !== undefined && { variant: options.variant }),
        include: (written, line) => {
          const target = includeTarget(written, top, root);
          const where = { file: named(f), line };
          if (chain.includes(target) || chain.length > MAX_INCLUDE_DEPTH) {
            findings.push({ ...where, severity: 'error', rule: 'include-loop', message: `.. include:: ${written} includes a file that includes this one: not followed` });
            return undefined;
          }
          if (!texts.has(target)) {
            findings.push({ ...where, severity: 'warning', rule: 'include-not-found', message: `.. include:: ${written}: no such file (${named(target)}), its text is not read` });
            return undefined;
          }
          return read(target, [...chain, target]);
        },
      },
      findings,
    );
  return read(top, [top]);
}
