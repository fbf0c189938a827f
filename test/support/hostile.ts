// One corpus of hostile strings for every report of every command: what a suite, manifest, tutorial or results file
// could hold to act on a terminal, forge markdown rows, inject HTML, break XML or end a GitHub workflow command.
// Each is put into suite names, step names, cell names and results fields by the tests in test/report/hostile*.test.ts.

export const HOSTILE: Record<string, string> = {
  clearScreen: 'clear\x1b[2J\x1b[Hscreen',
  csi8bit: 'csi\x9b31mred',
  osc8: 'link\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\',
  osc52: 'clip\x1b]52;c;ZWNobyBwd25lZA==\x07board',
  title: 'title\x1b]0;owned\x07',
  c0: 'bell\x07back\x08null\x00del\x7f',
  c1: 'nel\x85st\x9cosc\x9d',
  rlo: 'bidi\u202egpj.exe',
  isolates: 'iso\u2066l\u2067r\u2068f\u2069end',
  newline: 'row\n| regression | forged | x | y |',
  cr: 'over\rPASS',
  crlf: 'two\r\nlines',
  pipe: 'a | b | c',
  script: '<script>alert(1)</script><img src=x onerror=alert(2)>',
  cdata: 'end]]><evil/>',
  amp: 'a & b &amp; &lt;c&gt; "q" \'s\'',
  percent: 'pct%0A::error::forged%0D%25',
  workflow: 'x\n::error file=a,line=1::forged\n::endgroup::',
  heading: '\n# Heading\n## Sub',
  link: '[click](https://evil.example/) ![img](https://evil.example/x.png) <https://evil.example>',
  autolink: 'bare https://evil.example/x WWW.evil.example me@evil.example',
  emphasis: '**bold** _it_ ~~strike~~ `code` ```fence',
  commaColon: 'title:with,commas',
  long: `long${'x'.repeat(1500)}\x1b[2J${'y'.repeat(1500)}`,
};

export const HOSTILE_STRINGS = Object.values(HOSTILE);

/** A shorter mix of the corpus, for a name repeated on every row of a report (a suite's). */
export const HOSTILE_MIX = [HOSTILE.osc8, HOSTILE.osc52, HOSTILE.rlo, HOSTILE.newline, HOSTILE.script, HOSTILE.percent, HOSTILE.link, HOSTILE.autolink].join(' ');

/** Raw control characters (C0 but tab, DEL, C1) and bidirectional overrides and isolates. */
export const RAW_ACTIVE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** What a terminal report may not hold: any raw control or bidi character other than its own newlines. */
export function terminalProblems(output: string): string[] {
  return output.split('\n').flatMap((line, i) => (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(line) ? [`line ${i + 1}: ${JSON.stringify(line.slice(0, 120))}`] : []));
}

/** Markdown text in which every character that could open markup or an autolink is escaped: none is left once escapes are removed. */
export function markdownProblems(text: string): string[] {
  const bare = text.replace(/\\[\s\S]/g, '');
  return [...new Set(bare.match(/[<>|[\]`*_~\n\r@]|:\/\/|www\.|&(?!(?:amp|lt|gt|quot|#39|#58|#64|#46);)/gi) ?? [])];
}

/** The runner's unescaping of a workflow command's data (actions/runner ActionCommand): what the log shows. */
export const unescapeWorkflow = (s: string) => s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');

/**
 * A well-formedness check of an XML document, enough for a JUnit file: tags balanced and properly nested, attribute
 * values quoted without < or a bare &, text without < or a bare &, no character XML 1.0 forbids. Returns the first
 * problem, or undefined.
 */
export function xmlProblem(xml: string): string | undefined {
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(xml)) return 'a character XML 1.0 forbids';
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    const [whole, close, name, attrs, selfClose, text, stray] = m;
    if (stray) return `a stray < at ${m.index}: ${JSON.stringify(body.slice(m.index, m.index + 60))}`;
    if (text !== undefined) {
      if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/.test(text)) return `a bare & in text: ${JSON.stringify(text.slice(0, 60))}`;
      continue;
    }
    if (whole.startsWith('<![CDATA[')) continue;
    if (attrs && /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/.test(attrs)) return `a bare & in an attribute of <${name}>`;
    if (close) {
      if (stack.pop() !== name) return `</${name}> closes another element`;
    } else if (!selfClose) stack.push(name!);
  }
  return stack.length ? `<${stack.at(-1)}> is never closed` : undefined;
}
