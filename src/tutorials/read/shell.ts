// Just enough of the POSIX shell grammar to read tutorial command lines: words with quotes removed, `$(...)` kept
// whole, comments dropped, and the line split into pipelines at `;`, `&&`, `||` and `&`, each a list of commands
// joined by `|`. Nothing is ever executed.

export type Pipeline = string[][];

export class ShellSyntaxError extends Error {
  override readonly name = 'ShellSyntaxError';
}

/** Splits one command line (continuations already joined) into pipelines of commands of words. */
export function parseShellLine(line: string): Pipeline[] {
  const pipelines: Pipeline[] = [];
  let pipeline: Pipeline = [];
  let command: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) command.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (command.length) pipeline.push(command);
    command = [];
  };
  const endPipeline = () => {
    endCommand();
    if (pipeline.length) pipelines.push(pipeline);
    pipeline = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated single quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        // Within double quotes a backslash escapes only $ ` " \ and a newline; before anything else it stays
        // (bash(1), QUOTING): "%{http_code}\n" keeps its \n for curl to read.
        if (line[j] === '\\' && j + 1 < line.length) word += '$`"\\\n'.includes(line[j + 1]!) ? line[++j] : line[j];
        else if (line.startsWith('$(', j)) {
          const end = closingParen(line, j + 1);
          word += line.slice(j, end + 1);
          j = end;
        } else word += line[j];
      }
      if (j >= line.length) throw new ShellSyntaxError('unterminated double quote');
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === '$' && line[i + 1] === '(') {
      const end = closingParen(line, i + 1);
      word += line.slice(i, end + 1);
      inWord = true;
      i = end;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '|' && line[i + 1] !== '|') {
      endCommand();
    } else if (c === ';' || c === '&' || c === '|') {
      if (line[i + 1] === c) i++;
      endPipeline();
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord || command.length || pipeline.length) endPipeline();
  return pipelines;
}

function closingParen(line: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new ShellSyntaxError('unterminated $(');
}

/**
 * Whether a command line stops inside a quote: the shell reads on, across the newline, until the quote closes
 * (`echo 'apiVersion: v1` ... `kind: X' > f.yaml` is one command). A backslash escapes outside single quotes, and
 * `#` starts a comment only where a word could start.
 */
export function endsInQuote(line: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (quote === '"' && c === '\\') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return false;
  }
  return quote !== undefined;
}

// Text a tutorial leaves for its reader to fill in: `<your-pod-name>`, `<POD_IP>`, `customer-<fill in pod ID>`,
// `[PUT THE POD'S IP ADDRESS HERE]`. Its `'` opens no quote and its `<` and `>` redirect nothing.
const PLACEHOLDER = /<[A-Za-z][^<>\n]*?[\w)]>|\[[A-Z][A-Z0-9 '’_-]{2,}[A-Z]\]/g;
/** What stands for a placeholder in the words of a line read with its placeholders masked. */
export const PLACEHOLDER_MARK = '<placeholder>';

/** The line with each placeholder replaced by PLACEHOLDER_MARK, and the placeholders as written. */
export function maskPlaceholders(line: string): { line: string; placeholders: string[] } {
  const placeholders: string[] = [];
  const masked = line.replace(PLACEHOLDER, (p) => {
    placeholders.push(p);
    return PLACEHOLDER_MARK;
  });
  return { line: masked, placeholders };
}

/** `NAME=$(command)` as [NAME, command], or `NAME=value` as [NAME, undefined]. */
export function assignmentOf(word: string): { name: string; substitution?: string; value: string } | undefined {
  const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
  if (!match) return undefined;
  const value = match[2]!;
  const substitution = /^\$\((.*)\)$/s.exec(value)?.[1];
  return { name: match[1]!, substitution, value };
}

/** The variable a word expands, with what surrounds it: `${FRONTEND}`, `$BACKEND_IP:8080`. */
export function variableIn(word: string): { name: string; before: string; after: string } | undefined {
  const match = /^(.*?)\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))(.*)$/s.exec(word);
  if (!match) return undefined;
  return { name: (match[2] ?? match[3])!, before: match[1]!, after: match[4]! };
}
