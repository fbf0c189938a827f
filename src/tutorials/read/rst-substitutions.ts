// reStructuredText substitutions (`|SCM_WEB|`) and backslash escapes. A value comes from the docs config's
// `substitutions` first, then from the file's own `.. |NAME| replace:: value`, then from the `rst_epilog` and
// `rst_prolog` of the Sphinx conf.py above the file (Sphinx appends and prepends them to every source file).

/** Where a substitution's value is not known, why. */
export type SubstitutionValue = string | { why: string };

export class Substitutions {
  constructor(
    private readonly config: Record<string, string>,
    /** From conf.py: a value, or why there is none (it is computed by Python when the docs are built). */
    private readonly conf: Map<string, SubstitutionValue> = new Map(),
    private readonly confFile?: string,
  ) {}

  value(name: string, own: Map<string, string>): SubstitutionValue {
    if (name in this.config) return this.config[name]!;
    const local = own.get(name) ?? this.conf.get(name);
    if (local !== undefined) return local;
    return { why: `has no value in the docs config's substitutions${this.confFile ? ` nor in ${this.confFile}` : ''}` };
  }
}

/**
 * Inline text as docutils renders it (reStructuredText Markup Specification, "Escaping Mechanism"): a backslash
 * before whitespace is removed with it, before any other character leaves that character; `|NAME|` takes what
 * `substitute` gives (undefined: left as written). A backslash that ends a line is kept: the shell reader joins
 * continued lines.
 */
export function rstUnescape(text: string, substitute?: (name: string) => string | undefined): string {
  return text.replace(/\\([ \t])|\\(.)|\|([^|\s](?:[^|]*[^|\s])?)\|/g, (whole, _space: string | undefined, char: string | undefined, name: string | undefined) => {
    if (name === undefined) return char ?? '';
    return substitute?.(name) ?? whole;
  });
}

/**
 * The substitutions an `rst_epilog`/`rst_prolog` string of a conf.py defines. A string completed by Python
 * (`"""...""".format(...)` or `% (...)`, as Cilium's Documentation/conf.py does) has values only the build knows.
 */
export function confSubstitutions(conf: string, file: string): Map<string, SubstitutionValue> {
  const found = new Map<string, SubstitutionValue>();
  const literal = /\brst_(?:epilog|prolog)\s*=\s*[rRuU]?("""|''')([\s\S]*?)\1(\s*(?:\.format\s*\(|%))?/g;
  for (const [, , body, formatted] of conf.matchAll(literal)) {
    // Python's escapes first (`\\{s}` is `\{s}`), then the line is reStructuredText.
    const text = body!.replace(/\\\\/g, '\\');
    for (const m of text.matchAll(/^\s*\.\.\s+\|([^|]+)\|\s+replace::\s*(.*)$/gm)) {
      const raw = m[2]!.trim();
      found.set(m[1]!, formatted && /\{\w*\}|%[sdr]/.test(raw) ? { why: `is computed by ${file} when the docs are built (${formatted.trim().replace(/\s*\($/, '')}): give its value in the docs config's substitutions` } : rstUnescape(raw));
    }
  }
  return found;
}
