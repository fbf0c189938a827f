// reStructuredText that shows one of several variants: `.. only:: EXPR` (Sphinx includes its body when the tags
// the build sets satisfy EXPR) and sphinx-tabs' `.. tabs::`, of which a page shows one tab at a time. The reader
// reads what the page shows, never both.

const DIRECTIVE = /^(\s*)\.\.\s+([\w:-]+)::\s*(.*)$/;
const TAB_DIRECTIVES = new Set(['tab', 'group-tab', 'code-tab']);

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * Sphinx's `only` condition (sphinx/util/tags.py, Tags.eval_condition): tag names joined by `and`, `or`, `not` and
 * parentheses. A name is true when the build sets that tag; an expression that does not parse is true, so that
 * what cannot be judged is read rather than lost.
 */
export function evalOnly(expression: string, tags: ReadonlySet<string>): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const primary = (): boolean => {
    const t = tokens[at++];
    if (t === 'not') return !primary();
    if (t === '(') {
      const v = or();
      if (tokens[at++] !== ')') throw new Error('unbalanced');
      return v;
    }
    if (t === undefined || t === ')' || t === 'and' || t === 'or') throw new Error('bad');
    return tags.has(t);
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[at] === 'and') {
      at++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[at] === 'or') {
      at++;
      v = or() || v;
    }
    return v;
  };
  try {
    const v = or();
    return at === tokens.length ? v : true;
  } catch {
    return true;
  }
}

/** The last line (exclusive) of the body of the directive at `i`: every line after it that is blank or more indented. */
function bodyEnd(lines: readonly string[], i: number): number {
  const base = indentOf(lines[i]!);
  let end = i + 1;
  for (let k = i + 1; k < lines.length; k++) {
    if (lines[k]!.trim() === '') continue;
    if (indentOf(lines[k]!) <= base) break;
    end = k + 1;
  }
  return end;
}

/**
 * Lines (0-based) the page does not show: bodies of `only` directives whose condition fails, and every tab of a
 * `tabs` directive but the one read (the one whose label the variant names, else the first, which sphinx-tabs shows).
 */
export function hiddenRstLines(lines: readonly string[], tags: ReadonlySet<string>, variant: string | undefined): Set<number> {
  const hidden = new Set<number>();
  const hide = (from: number, to: number) => {
    for (let k = from; k < to; k++) hidden.add(k);
  };
  const wanted = (label: string) => !!variant && (label.toLowerCase() === variant.toLowerCase() || variant.toLowerCase().split(/\s+/).includes(label.toLowerCase()));
  for (let i = 0; i < lines.length; i++) {
    if (hidden.has(i)) continue;
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) continue;
    if (m[2] === 'only' && !evalOnly(m[3]!, tags)) hide(i, bodyEnd(lines, i));
    if (m[2] !== 'tabs') continue;
    const end = bodyEnd(lines, i);
    const tabs: { start: number; end: number; label: string }[] = [];
    let depth: number | undefined;
    for (let k = i + 1; k < end; k++) {
      const tab = DIRECTIVE.exec(lines[k]!);
      if (!tab || !TAB_DIRECTIVES.has(tab[2]!)) continue;
      depth ??= tab[1]!.length;
      if (tab[1]!.length === depth) tabs.push({ start: k, end: bodyEnd(lines, k), label: tab[3]!.trim() });
    }
    const chosen = Math.max(
      0,
      tabs.findIndex((t) => wanted(t.label)),
    );
    tabs.forEach((t, k) => k !== chosen && hide(t.start, t.end));
  }
  return hidden;
}
