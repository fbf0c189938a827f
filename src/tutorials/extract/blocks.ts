// A tutorial's blocks as its reader meets them: prose (headings name the steps, file names name the next manifest),
// manifests shown or included, and shell blocks: command lines with their `\` continuations and here-documents,
// each handed to the open pod shell or run as a command, and the output lines after them.
import path from 'node:path';
import { refOf } from '../../manifest/objects.ts';
import { isCommandLine, type Chapter, type DocBlock, type SourceLine } from '../read/blocks.ts';
import { parseCommandLine } from '../read/commands.ts';
import type { DocCommand } from '../read/doc-command.ts';
import { unrollLoops } from '../read/loops.ts';
import { endsInQuote, maskPlaceholders } from '../read/shell.ts';
import { runCommand } from './actions.ts';
import { deleteRefs, lose } from './changes.ts';
import { trailingComment } from '../read/outcome-sentences.ts';
import { commentClaims, forgetProbes, newSection, otherBlock, output, proseClaims, resolveHeld } from './claims.ts';
import { applyRead } from './manifest-files.ts';
import { readManifests, type ReadManifests } from './manifests.ts';
import { endSession, promptedCommand, typedIntoShell } from './sessions.ts';
import { define, find, parseShell, type Place, type ReadingState } from './reading-state.ts';

/** A new chapter: steps are named by its title until its first heading. */
export async function chapter(state: ReadingState, chapter: Chapter) {
  await endSession(state);
  state.heading = chapter.title;
  forgetProbes(state);
  newSection(state);
}

export async function block(state: ReadingState, chapter: Chapter, block: DocBlock): Promise<void> {
  const file = chapter.file;
  if (block.kind === 'prose') {
    state.prose.push({ file, line: block.line, text: block.text });
    if (block.heading) {
      state.heading = block.text.trim();
      forgetProbes(state);
      newSection(state);
    } else proseClaims(state, file, block.line, block.text);
    const mentioned = manifestNames(block.text);
    for (const name of mentioned) {
      state.leadIn.add(name);
      if (state.lastBlockShowedManifest) state.resolver.shown.at(-1)?.names.add(name);
    }
    return;
  }
  if (block.kind === 'include') {
    resolveHeld(state, []);
    otherBlock(state);
    const local = state.resolver.localFile(block.path, file, block.examples ? 'examples' : 'site');
    if (!local) {
      find(state, 'warning', 'include-not-found', { file, line: block.line }, `${block.examples ? 'codenew' : 'readfile'} ${block.path}: not in the tutorial's tree nor in the docs config's files`);
      return;
    }
    // An included script or text is shown, not a manifest: only YAML (by the block's language or the file's
    // extension) is read as one.
    const yaml = block.lang ? /^(ya?ml|json)$/.test(block.lang) : /\.(ya?ml|json)$/i.test(local);
    if (!yaml) return;
    const read = await state.resolver.readLocal(local, state.findings);
    show(state, { file, line: block.line }, read, [path.basename(block.path)]);
    return;
  }
  const manifestLang = block.lang === 'yaml' || block.lang === 'yml';
  if (manifestLang || (!block.lines.some((l) => isCommandLine(l.text)) && /^(apiVersion|kind):/m.test(block.lines.map((l) => l.text).join('\n')))) {
    resolveHeld(state, []);
    otherBlock(state);
    const first = block.lines[0]?.line ?? block.line;
    const read = readManifests(block.lines.map((l) => l.text).join('\n'), file, first, state.findings, true);
    show(state, { file, line: first }, read, []);
    return;
  }
  state.lastBlockShowedManifest = false;
  state.leadIn = new Set();
  const before = state.probes.length;
  const first = block.lines.find((l) => isCommandLine(l.text) || promptedCommand(state, l.text) !== undefined);
  await commands(state, file, block.lines);
  const probes = state.probes.slice(before);
  resolveHeld(state, !first ? undefined : probes[0]?.line === first.line ? probes : []);
  if (first && probes.length === 0) otherBlock(state);
}

function show(state: ReadingState, place: Place, read: ReadManifests, names: string[]) {
  define(state, read);
  const any = read.objects.length + read.unmodelled.length > 0;
  if (any) state.resolver.shown.push({ ...place, objects: read.objects, unmodelled: read.unmodelled, names: new Set([...names, ...state.leadIn]) });
  state.leadIn = new Set();
  state.lastBlockShowedManifest = any;
}

/** A shell block: command lines (with `\` continuations) and the output lines after them. */
async function commands(state: ReadingState, file: string, block: SourceLine[]) {
  const lines = unrollLoops(block);
  let shown: SourceLine[] = [];
  // A comment line just above a command is about it (`# SQL injection probe — expect 403`), not output.
  let comment: SourceLine | undefined;
  const flush = () => {
    if (shown.some((l) => l.text.trim() !== '')) output(state, file, shown);
    shown = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const start = lines[i]!;
    const prompted = promptedCommand(state, start.text);
    if (prompted === undefined && !isCommandLine(start.text)) {
      const next = lines.slice(i + 1).find((l) => l.text.trim() !== '');
      if (/^\s*#/.test(start.text) && next && (isCommandLine(next.text) || promptedCommand(state, next.text) !== undefined)) comment = start;
      else shown.push(start);
      continue;
    }
    flush();
    let text = (prompted ?? start.text).trim().replace(/^\$\s+/, '');
    // A `\` goes on on the next line; so does a quote left open (`echo 'apiVersion: ...` over several lines).
    for (;;) {
      if (i + 1 >= lines.length) break;
      if (text.endsWith('\\')) text = `${text.slice(0, -1)} ${lines[++i]!.text.trim()}`;
      else if (endsInQuote(maskPlaceholders(text).line)) text = `${text}\n${lines[++i]!.text}`;
      else break;
    }
    if (text === '') continue;
    // A here-document (`cat <<EOF | kubectl apply -f -`): its lines up to the delimiter are the command's stdin.
    const heredoc = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(text);
    let stdin: SourceLine[] | undefined;
    if (heredoc) {
      const end = lines.findIndex((l, k) => k > i && l.text.trim() === heredoc[2]);
      stdin = lines.slice(i + 1, end < 0 ? lines.length : end);
      if (end < 0) find(state, 'error', 'bad-shell', { file, line: start.line }, `the here-document opened here is never closed by ${heredoc[2]}: lines ${start.line + 1}-${lines.at(-1)!.line} are read as its text`);
      i = end < 0 ? lines.length : end;
    }
    const probesBefore = state.probes.length;
    if (!(await typedIntoShell(state, { file, line: start.line }, text, prompted !== undefined, runCommand))) await command(state, file, start.line, text, stdin);
    const trailing = trailingComment(text);
    commentClaims(file, trailing ? { line: start.line, text: trailing } : comment, state.probes.slice(probesBefore));
    comment = undefined;
  }
  flush();
}

async function command(state: ReadingState, file: string, line: number, text: string, stdin?: SourceLine[]) {
  const commands = parseShell(state, { file, line }, text, (l) => parseCommandLine(l));
  for (const c of commands) {
    if (c.kind === 'stdin') await fromStdin(state, c, { file, line }, text, stdin);
    else if (c.kind === 'write') write(state, c, { file, line }, stdin);
    else await runCommand(state, c, { file, line }, text);
  }
}

/** `echo '...' > FILE`, `cat <<EOF > FILE`: the manifests written are shown, as FILE's, for a later `-f FILE`. */
function write(state: ReadingState, c: Extract<DocCommand, { kind: 'write' }>, place: Place, stdin: SourceLine[] | undefined) {
  const text = c.content ?? stdin?.map((l) => l.text).join('\n');
  if (text === undefined || !/^(apiVersion|kind):/m.test(text)) return;
  const first = c.content === undefined ? (stdin?.[0]?.line ?? place.line) : place.line;
  show(state, { file: place.file, line: first }, readManifests(text, place.file, first, state.findings), [path.basename(c.file)]);
}

/** `kubectl apply|delete -f -` with the manifests of the here-document it reads. */
async function fromStdin(state: ReadingState, c: Extract<DocCommand, { kind: 'stdin' }>, place: Place, text: string, stdin: SourceLine[] | undefined) {
  forgetProbes(state);
  const content = c.content ?? stdin?.map((l) => l.text).join('\n');
  if (!content) return lose(state, place, `${text} reads stdin, which the tutorial does not show`);
  const first = c.content === undefined ? stdin![0]!.line : place.line;
  const read = readManifests(content, place.file, first, state.findings);
  if (read.policyFailed || read.objects.length + read.unmodelled.length === 0) return lose(state, place, `${text}: the here-document holds no manifest the harness can read`);
  show(state, { file: place.file, line: first }, read, []);
  // Deleting only objects the model does not simulate leaves their effect unknown still: no action.
  if (c.verb === 'delete')
    return read.objects.length
      ? deleteRefs(
          state,
          read.objects.map((o) => refOf(o, c.namespace ?? 'default')),
          place,
          text,
        )
      : undefined;
  await applyRead(state, place, text, read, c.namespace);
}

/**
 * File names such as policy.yaml that prose mentions. Split into words first, then each word's longest prefix ending
 * in a manifest extension: linear in the text, however long a word is (a regex searching from every position of a
 * long word is quadratic).
 */
function manifestNames(text: string): string[] {
  return text.split(/[^\w.-]+/).flatMap((word) => {
    const name = /^(.+\.(?:ya?ml|json))(?!\w)/.exec(word)?.[1];
    return name ? [path.basename(name)] : [];
  });
}
