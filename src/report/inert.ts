// Text from suites, manifests, tutorials, results files and clusters is inert in every output: each output format has
// one function here that every report routes such text through.
//
// - inert: the terminal. Control characters (an escape sequence could clear the screen, set a hyperlink with OSC 8
//   or write the clipboard with OSC 52; a newline in a step name could print a fake PASS line or table row), C1
//   controls and bidirectional overrides and isolates are shown escaped instead of acting. Tabs stay. The others
//   build on it, so no output carries a raw control or bidi character.
// - markdown: a GitHub step summary or PR comment: no newline (no forged row, heading or list), no live HTML, link,
//   emphasis or table pipe.
// - html: the HTML reports: no live tag, attribute break-out or entity.
// - junitName: a test name or annotation handed to vitest, whose JUnit reporter escapes XML markup itself.
// - xml: our own JUnit file (report/junit.ts): markup escaped as entities (so `]]>` is `]]&gt;`), and besides what
//   inert escapes, what XML 1.0 forbids (U+FFFE, U+FFFF, a lone surrogate) shown escaped: the file stays well-formed.
// - workflowData / workflowProperty: GitHub workflow commands (`::error file=...,title=...::message`), escaped as
//   actions/toolkit's packages/core/src/command.ts escapeData and escapeProperty do (% \r \n; and : , in properties),
//   so that a name cannot end the command or smuggle in a %0A the runner would decode.
// - json: a JSON file: what JSON.stringify leaves raw (C1 controls, bidi characters, line separators) as \u escapes,
//   so that `cat results.json` is as inert as the terminal report; the parsed data are unchanged.
const ACTIVE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function inert(text: string): string {
  return text.replace(ACTIVE, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A copy of a report's data with every string made inert (numbers, booleans and structure unchanged). */
export function inertDeep<T>(value: T): T {
  if (typeof value === 'string') return inert(value) as T;
  if (Array.isArray(value)) return value.map(inertDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inertDeep(v)])) as T;
  return value;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function html(text: string): string {
  return inert(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Markdown (GitHub flavoured) text: HTML escaped as entities, and every character that could open a link or image
 * ([ ]), emphasis, code, strikethrough or a table cell backslash-escaped (the backslashes of inert's escapes too). With
 * no newline left, nothing starts a line: no heading, list, fence or row. Bare URLs, `www.` names and e-mail
 * addresses would become links by GFM's autolink extension, which looks for a literal `://` or `www.` in the source
 * and an `@` within one text node (cmark-gfm extensions/autolink.c, url_match, www_match, postprocess_text at
 * 85d8952): written as entities, the same characters show but start no link.
 */
export function markdown(text: string): string {
  return inert(text)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c]!)
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/:(?=\/\/)|@/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/(www)\./gi, '$1&#46;');
}

export function junitName(text: string): string {
  return inert(text);
}

const XML_ENTITIES: Record<string, string> = { ...HTML_ENTITIES, "'": '&apos;' };
/** Characters XML 1.0 has no place for (production Char) that inert leaves: U+FFFE, U+FFFF, unpaired surrogates. */
const XML_FORBIDDEN = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text or an attribute value of an XML file: nothing in it can end the attribute, open markup or break the file. */
export function xml(text: string): string {
  return inert(text)
    .replace(XML_FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

/** A command's message: inert has already escaped \r and \n (escapeData's %0D and %0A), which leaves the %. */
export function workflowData(text: string): string {
  return inert(text).replaceAll('%', '%25');
}

export function workflowProperty(text: string): string {
  return workflowData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const JSON_ACTIVE = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const jsonInert = (text: string) => text.replace(JSON_ACTIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The JSON text of a report file, indented, ending with a newline. */
export function json(value: unknown): string {
  return [...jsonChunks(value)].join('');
}

/** Holds an array of objects (steps, cells): its text is built piece by piece, not in one JSON.stringify. */
const holdsObjects = (value: object) => Object.values(value).some((v) => Array.isArray(v) && v.some((e) => typeof e === 'object' && e !== null));

/**
 * json()'s text in pieces, byte for byte what JSON.stringify(value, null, 2) gives: an array, or an object that holds
 * an array of objects, is written member by member, anything smaller in one JSON.stringify. A results file of
 * 100,000 cells is then written (and given up at a signal) piece by piece, never held as one string.
 */
export function* jsonChunks(value: unknown, indent = ''): Generator<string> {
  yield* members(value, indent);
  if (indent === '') yield '\n';
}

function* members(value: unknown, indent: string): Generator<string> {
  const isArray = Array.isArray(value);
  if (value === null || typeof value !== 'object' || (!isArray && !holdsObjects(value))) {
    // In an array JSON.stringify writes null for what it leaves out of an object (undefined, a function).
    yield jsonInert(JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);
    return;
  }
  const entries = isArray ? value.map((v) => [undefined, v] as const) : Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield isArray ? '[]' : '{}';
    return;
  }
  const inner = `${indent}  `;
  yield isArray ? '[' : '{';
  for (const [i, [key, v]] of entries.entries()) {
    yield `${i ? ',' : ''}\n${inner}${key === undefined ? '' : `${jsonInert(JSON.stringify(key))}: `}`;
    yield* members(v, inner);
  }
  yield `\n${indent}${isArray ? ']' : '}'}`;
}
