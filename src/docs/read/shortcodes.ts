// Hugo shortcodes in a chapter's text: `{{< highlight LANG >}}...{{< /highlight >}}` (code), `readfile` (an included
// file), `param` (a value from front matter or site params); any other is ignored with a warning.

export interface Shortcode {
  name: string;
  args: string;
  closing: boolean;
  start: number;
  end: number;
}

const SHORTCODE = /\{\{([<%])\s*(\/?)\s*([\w-]+)\s*(.*?)\s*[>%]\}\}/gs;

export function findShortcodes(text: string): Shortcode[] {
  return [...text.matchAll(SHORTCODE)].map((m) => ({ name: m[3]!, args: m[4]!, closing: m[2] === '/', start: m.index, end: m.index + m[0].length }));
}

/** A named argument (`file="x"`) or the first positional one. */
export function shortcodeArg(args: string, name?: string): string | undefined {
  if (name) return new RegExp(`(?:^|\\s)${name}=(?:"([^"]*)"|(\\S+))`).exec(args)?.slice(1).find((v) => v !== undefined);
  return /^(?:"([^"]*)"|([^\s=]+))(?:\s|$)/.exec(args)?.slice(1).find((v) => v !== undefined);
}

/** Replaces `param` shortcodes by their values; names without a value stay as written. */
export function substituteParams(text: string, params: Record<string, unknown>): string {
  return text.replace(SHORTCODE, (whole, _open, closing, name, args) => {
    if (closing || name !== 'param') return whole;
    const key = shortcodeArg(args);
    const v = key === undefined ? undefined : params[key];
    return v === undefined || v === null ? whole : String(v);
  });
}
