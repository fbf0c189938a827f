// Hugo sites that publish one course for several platforms show one variant of a passage and hide the others:
// acend's `{{% onlyWhen openshift %}}...{{% /onlyWhen %}}` and `{{% onlyWhenNot openshift %}}...{{% /onlyWhenNot %}}`
// (acend/docsy-plus layouts/shortcodes/onlyWhen.html and onlyWhenNot.html @aa52ff0, line 1). The reader reads the
// one variant the site would render, never both.
import { blankRanges, type Range } from './blank.ts';
import type { Finding } from './blocks.ts';
import { findShortcodes, type Shortcode } from './shortcodes.ts';

const VARIANT_SHORTCODES = new Set(['onlyWhen', 'onlyWhenNot']);

/**
 * Whether a variant shows: onlyWhen shows when any of its (up to three) arguments is `in` the enabled modules, and
 * onlyWhenNot when none is. Hugo's `in` on a string is a substring test (gohugoio/hugo tpl/collections/collections.go,
 * In: strings.Contains), so `in "base openshift" "openshift"` holds.
 */
function shows(code: Shortcode, enabled: string): boolean {
  const names = code.args
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .map((a) => a.replace(/^"(.*)"$/, '$1'));
  const any = names.some((n) => enabled.includes(n));
  return code.name === 'onlyWhen' ? any : !any;
}

/** The text with the variants that do not show taken out, and the shortcodes of those that do. */
export function chooseVariants(file: string, text: string, enabled: string, lineAt: (offset: number) => number, findings: Finding[]): string {
  const hide: Range[] = [];
  const open: Shortcode[] = [];
  for (const code of findShortcodes(text)) {
    if (!VARIANT_SHORTCODES.has(code.name)) continue;
    if (!code.closing) {
      open.push(code);
      continue;
    }
    const opener = open.pop();
    if (!opener) {
      findings.push({ file, line: lineAt(code.start), severity: 'error', rule: 'bad-shortcode', message: `{{% /${code.name} %}} closes nothing: ignored` });
      hide.push(code);
      continue;
    }
    if (opener.name !== code.name) {
      findings.push({ file, line: lineAt(code.start), severity: 'error', rule: 'bad-shortcode', message: `{{% /${code.name} %}} closes {{% ${opener.name} %}} of line ${lineAt(opener.start)}: read as its closer` });
    }
    hide.push(shows(opener, enabled) ? opener : { start: opener.start, end: code.start }, code);
  }
  for (const opener of open) {
    findings.push({ file, line: lineAt(opener.start), severity: 'error', rule: 'bad-shortcode', message: `{{% ${opener.name} %}} is never closed: it runs to the end of the chapter` });
    hide.push(shows(opener, enabled) ? opener : { start: opener.start, end: text.length });
  }
  return blankRanges(text, hide);
}
