// Hugo shortcodes in a chapter's text: `{{< highlight LANG >}}...{{< /highlight >}}` (code), `readfile` (an included
// file), `param` (a value from front matter or site params); any other is ignored with a warning.

export interface Shortcode {
  name: string;
  args: string;
  closing: boolean;
  start: number;
  end: number;
}

/**
 * `{{< name args >}}` and `{{% name args %}}`, found by scanning: each opener, then the nearest closer after it. A
 * regex with a lazy `(.*?)` would search the rest of the text from every unclosed opener, which is quadratic.
 */
export function findShortcodes(text: string): Shortcode[] {
  const found: Shortcode[] = [];
  for (let at = text.indexOf('{{'); at >= 0; at = text.indexOf('{{', at + 1)) {
    const open = text[at + 2];
    if (open !== '<' && open !== '%') continue;
    const close = nearest(text, ['>}}', '%}}'], at + 3);
    // No closer after this opener means none after any later opener either.
    if (close < 0) break;
    const inner = text.slice(at + 3, close).trimStart();
    const closing = inner.startsWith('/');
    const rest = (closing ? inner.slice(1) : inner).trimStart();
    const name = /^[\w-]+/.exec(rest)?.[0];
    if (!name) continue;
    found.push({ name, args: rest.slice(name.length).trim(), closing, start: at, end: close + 3 });
    at = close + 2;
  }
  return found;
}

function nearest(text: string, needles: string[], from: number): number {
  const hits = needles.map((n) => text.indexOf(n, from)).filter((i) => i >= 0);
  return hits.length ? Math.min(...hits) : -1;
}

/** A named argument (`file="x"`) or the first positional one. */
export function shortcodeArg(args: string, name?: string): string | undefined {
  if (name)
    return new RegExp(`(?:^|\\s)${name}=(?:"([^"]*)"|(\\S+))`)
      .exec(args)
      ?.slice(1)
      .find((v) => v !== undefined);
  return /^(?:"([^"]*)"|([^\s=]+))(?:\s|$)/
    .exec(args)
    ?.slice(1)
    .find((v) => v !== undefined);
}

/**
 * A page's param as Hugo's `param` shortcode finds it: Page.Param -> maps.GetNestedParam (gohugoio/hugo
 * resources/resource/params.go@464f7cb, common/maps/params.go), which lowercases the key, as Hugo lowercases every
 * params key it loads, and follows `a.b` into nested tables (`{{% param replacePlaceholder.k8sPrometheus %}}`).
 */
export function paramValue(params: Record<string, unknown>, key: string): unknown {
  let at: unknown = params;
  for (const part of key.toLowerCase().split('.')) {
    if (!at || typeof at !== 'object') return undefined;
    const entry = Object.entries(at).find(([k]) => k.toLowerCase() === part);
    at = entry?.[1];
  }
  return at;
}

/** Replaces `param` shortcodes by their values; names without a value stay as written. */
export function substituteParams(text: string, params: Record<string, unknown>): string {
  let out = '';
  let from = 0;
  for (const code of findShortcodes(text)) {
    if (code.closing || code.name !== 'param') continue;
    const key = shortcodeArg(code.args);
    const v = key === undefined ? undefined : paramValue(params, key);
    if (v === undefined || v === null || typeof v === 'object') continue;
    out += text.slice(from, code.start) + String(v);
    from = code.end;
  }
  return out + text.slice(from);
}
