// Shells the reader opens in a pod (`kubectl exec -it POD -- sh`, `kubectl run -it ... -- sh`, `kubectl debug -it`):
// the lines typed into one run in that pod until `exit`. A shell stays open while the reader runs kubectl outside it
// ("in a second terminal"): kubectl is not in the pod, so it runs on the reader's machine and leaves the shell
// waiting. A later client line runs in the shell again when the prose says so ("back in the BusyBox shell", "from
// within a pod"), or when nothing ran outside since; on the reader's machine when the prose says that ("from a
// Node", "in another terminal"); and where the text does not say, it is not checked. `--rm` deletes the pod at
// `exit`, and at the chapter's end.
import type { ObjectRef } from '../../manifest/objects.ts';
import { PROMPT } from '../read/blocks.ts';
import { parseCommandLine } from '../read/commands.ts';
import type { DocCommand, RunCommand } from '../read/doc-command.ts';
import { parsePodCommandLine } from '../read/in-pod.ts';
import { parseShellLine } from '../read/shell.ts';
import { act, at } from './changes.ts';
import { parseShell, type Place, type Session, type ReadingState } from './reading-state.ts';

// Prose that sends the reader into a shell: "In the BusyBox shell", "Back in the test pod's shell", "From a Pod in
// the same Namespace", "from within a Pod", "Inside that shell", "From the first shell".
const IN_SHELL = /\b(?:in|inside|within|from|into|back to|return to)\s+(?:the|your|that|this|a|an|our)\s+((?:[\w'’-]+\s+){0,3}?)(?:shell|pod|container|prompt)\b/i;
// Prose that puts the reader outside any pod: "You can also try this from a Node in the cluster", "In a separate
// window", "open another terminal", "on your machine".
const OUTSIDE =
  /\b(?:(?:another|a second|a separate|a new|a different)\s+(?:terminal|window|tab|console)|(?:from|on)\s+(?:a|the|any|each|your)\s+(?:\w+\s+)?(?:node|host|machine|laptop|workstation|computer)\b|your (?:own )?(?:machine|laptop|workstation|computer))/i;
// Programs that are not in the pod: a line that runs them is the reader's, whatever shell is open.
const OUTSIDE_PROGRAMS = new Set(['kubectl', 'oc']);

/** Inside a shell, a line shown after a prompt (`/ # wget ...`) is a command: its text, else undefined. */
export function promptedCommand(state: ReadingState, line: string): string | undefined {
  return state.shells.length > 0 ? PROMPT.exec(line)?.[1] : undefined;
}

/** `kubectl run -it`, `kubectl exec -it`, `kubectl debug -it`: a shell the reader types into from now on. */
export function openSession(state: ReadingState, c: Extract<DocCommand, { kind: 'session' }> | RunCommand, place: Place, created?: ObjectRef) {
  const image = c.kind === 'run' ? [(c.image.split('/').at(-1) ?? '').replace(/[:@].*$/, '')] : [];
  const session: Session = {
    pod: c.kind === 'run' ? c.name : c.pod,
    namespace: c.namespace,
    ...(created && { created, ...(c.kind === 'run' && c.rm && { remove: created }) }),
    ...(c.kind === 'session' && c.node && { node: c.node }),
    names: [c.kind === 'run' ? c.name : c.pod, ...image].map((n) => n.toLowerCase()),
    place,
  };
  state.shells.push(session);
  state.session = session;
}

/**
 * A command line, if it goes to an open shell, is run there (or, where the text does not say whether it does, is
 * not checked): true. False when it is the reader's own, to run as such.
 */
/** Carries out one command read (actions.ts' runCommand, handed in: actions opens and ends these shells). */
export type CommandRunner = (state: ReadingState, c: DocCommand, place: Place, text: string) => Promise<void>;

export async function typedIntoShell(state: ReadingState, place: Place, text: string, prompted: boolean, runCommand: CommandRunner): Promise<boolean> {
  forgetEndedShells(state);
  const said = state.prose
    .slice(state.proseSeen)
    .map((p) => p.text)
    .join('\n');
  state.proseSeen = state.prose.length;
  if (state.shells.length === 0) return false;
  if (prompted) {
    state.session ??= state.shells.at(-1);
    await typed(state, state.session!, place, text, runCommand);
    return true;
  }
  if (runsOutside(text)) {
    if (state.session) state.session.left = place;
    state.session = undefined;
    return false;
  }
  const inside = IN_SHELL.exec(said);
  const outside = OUTSIDE.test(said);
  if (inside && !outside) {
    state.session = named(state, inside[0]);
    await typed(state, state.session, place, text, runCommand);
    return true;
  }
  if (outside) {
    if (state.session) state.session.left = place;
    state.session = undefined;
    if (!inside) return false;
  }
  if (state.session) {
    await typed(state, state.session, place, text, runCommand);
    return true;
  }
  // A shell is open, the reader ran kubectl outside it since, and the text does not say where this runs.
  const shell = state.shells.at(-1)!;
  if (/^(exit|logout)\b/.test(text.trim())) {
    await endSession(state, shell);
    return true;
  }
  const where = `runs on the reader's machine or in the shell of ${shell.node ? `node ${shell.node}` : `pod ${shell.pod}`} (open since line ${shell.place.line}; kubectl ran outside it at line ${shell.left?.line ?? shell.place.line}), the text does not say which`;
  const commands = parseShell(state, place, text, (line) => parseCommandLine(line, where));
  if (!commands.some((c) => c.kind === 'skipped')) return false;
  for (const c of commands) await runCommand(state, c, place, text);
  return true;
}

/** A line whose commands include kubectl: the reader's, since the pod has no kubectl. */
function runsOutside(text: string): boolean {
  try {
    return parseShellLine(text).some((pipeline) => pipeline.some((words) => OUTSIDE_PROGRAMS.has(words[0] ?? '')));
  } catch {
    return false;
  }
}

/** The shell the prose names: "the first shell", the pod's or its image's name ("the BusyBox shell"), else the latest. */
function named(state: ReadingState, phrase: string): Session {
  const words = phrase.toLowerCase().split(/[^\w-]+/);
  if (words.includes('first')) return state.shells[0]!;
  return [...state.shells].reverse().find((s) => s.names.some((n) => words.includes(n))) ?? state.session ?? state.shells.at(-1)!;
}

/** A line typed into a shell: `exit` ends it, a probe runs from its pod; on a node, no client is a pod's. */
async function typed(state: ReadingState, session: Session, place: Place, text: string, runCommand: CommandRunner) {
  if (/^(exit|logout)\b/.test(text.trim())) return endSession(state, session);
  const parse = (line: string) => (session.node ? parseCommandLine(line, `runs on node ${session.node} (kubectl debug ${session.pod}), not in a pod`) : parsePodCommandLine(line, session.pod, session.namespace));
  const commands = parseShell(state, place, text, parse);
  for (const c of commands) await runCommand(state, c, place, `${text} (in ${session.node ? `node ${session.node}` : session.pod})`);
}

/** A shell whose pod was deleted (`kubectl delete pod NAME`, or a new `kubectl run NAME`) has ended with it. */
function forgetEndedShells(state: ReadingState) {
  const ended = (s: Session) => s.created !== undefined && !state.model.cluster.get(s.created);
  state.shells.splice(0, state.shells.length, ...state.shells.filter((s) => !ended(s)));
  if (state.session && ended(state.session)) state.session = undefined;
}

/** `kubectl run NAME` again: the shell in the pod of that name must have been left first (the name was taken). */
export async function endShellsIn(state: ReadingState, namespace: string | undefined, pod: string) {
  for (const s of state.shells.filter((s) => s.pod === pod && (s.namespace ?? 'default') === (namespace ?? 'default'))) await endSession(state, s);
}

/** The reader leaves a shell (every shell, without one named: the chapter ends); a pod started with --rm is deleted. */
export async function endSession(state: ReadingState, session?: Session) {
  const ending = session ? [session] : [...state.shells];
  for (const s of ending) {
    state.shells.splice(state.shells.indexOf(s), 1);
    if (state.session === s) state.session = undefined;
    if (s.remove) await act(state, s.place, `exit (kubectl run --rm deletes pod ${s.remove.name})`, { kind: 'delete', refs: [s.remove], ...at(s.place, 'exit') }, true);
  }
}
