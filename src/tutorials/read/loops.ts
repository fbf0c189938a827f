// `for VAR in a b c; do ...; done` over literal words, unrolled the way the shell runs it: the body once per word with
// $VAR and ${VAR} replaced, each line keeping its place in the file. A list with expansions in it ($(...), $X, globs)
// is left as written: which words it yields is not in the text.
import type { SourceLine } from './blocks.ts';

const FOR = /^(\s*(?:\$\s+)?)for\s+([A-Za-z_]\w*)\s+in\s+([^;]*?)\s*;?\s*(?:do\s*)?$/;
const ONE_LINE = /^(\s*(?:\$\s+)?)for\s+([A-Za-z_]\w*)\s+in\s+([^;]*?)\s*;\s*do\s+(.*?);?\s*done\s*$/;

const literalWords = (list: string) => {
  const words = list.trim().split(/\s+/).filter(Boolean);
  return words.length > 0 && words.every((w) => /^[\w.:/@%+=-]+$/.test(w)) ? words : undefined;
};

const substitute = (text: string, name: string, value: string) => text.replace(new RegExp(`\\$(?:\\{${name}\\}|${name}(?!\\w))`, 'g'), value);

export function unrollLoops(lines: readonly SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const one = ONE_LINE.exec(line.text);
    const oneWords = one && literalWords(one[3]!);
    if (one && oneWords) {
      for (const w of oneWords) out.push({ text: `${one[1]}${substitute(one[4]!, one[2]!, w)}`, line: line.line });
      continue;
    }
    const head = FOR.exec(line.text);
    const words = head && literalWords(head[3]!);
    const end = head ? lines.findIndex((l, k) => k > i && /^\s*done\s*(;.*)?$/.test(l.text)) : -1;
    if (!head || !words || end < 0) {
      out.push(line);
      continue;
    }
    // `do` may stand on its own line after the head.
    const body = lines.slice(i + 1, end).filter((l) => !/^\s*do\s*$/.test(l.text));
    for (const w of words) for (const l of body) out.push({ text: substitute(l.text, head[2]!, w), line: l.line });
    i = end;
  }
  return out;
}
