// A shell the reader opens in a pod (`kubectl exec -it POD -- sh`, `kubectl run -it ... -- sh`): the lines typed
// into it run in that pod until `exit`, or until a command the reader runs outside it; `--rm` deletes the pod then.
import { PROMPT } from '../read/blocks.ts';
import { parsePodCommandLine } from '../read/commands.ts';
import { runCommand } from './actions.ts';
import { act, at } from './changes.ts';
import { parseShell, type WalkState } from './walk-state.ts';

/** Inside a shell, a line shown after a prompt (`/ # wget ...`) is a command: its text, else undefined. */
export function promptedCommand(state: WalkState, line: string): string | undefined {
  return state.session ? PROMPT.exec(line)?.[1] : undefined;
}

/** Whether a command line goes to the open shell: a prompted one does, and so does anything but kubectl. */
export function typedInSession(state: WalkState, text: string, prompted: boolean): boolean {
  return state.session !== undefined && (prompted || !/^kubectl\s/.test(text));
}

/** A line typed into a pod's shell: `exit` ends the session, a probe runs from that pod. */
export async function sessionCommand(state: WalkState, file: string, line: number, text: string) {
  const session = state.session!;
  if (/^(exit|logout)\b/.test(text)) return endSession(state);
  const commands = parseShell(state, { file, line }, text, () => parsePodCommandLine(text, session.pod, session.namespace));
  for (const c of commands) await runCommand(state, c, { file, line }, `${text} (in ${session.pod})`);
}

/** The reader leaves the pod's shell: a pod started with --rm is deleted. */
export async function endSession(state: WalkState) {
  const session = state.session;
  state.session = undefined;
  if (session?.remove) await act(state, session.place, `exit (kubectl run --rm deletes pod ${session.remove.name})`, { kind: 'delete', refs: [session.remove], ...at(session.place, 'exit') }, true);
}
