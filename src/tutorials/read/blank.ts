// Markup that is not shown (a variant not chosen, a shortcode's or a JSX tag's own text) is taken out of a chapter
// before it is parsed, with its line breaks kept: every line the parser reports is still the file's line.

export interface Range {
  start: number;
  end: number;
}

/** The text with each range's characters removed, except its line breaks. */
export function blankRanges(text: string, ranges: readonly Range[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const { start, end } of sorted) {
    if (end <= from) continue;
    const at = Math.max(start, from);
    out += text.slice(from, at) + text.slice(at, end).replace(/[^\n]/g, '');
    from = end;
  }
  return out + text.slice(from);
}
