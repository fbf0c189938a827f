// What runs in a pod: the words after `kubectl exec POD --` or `kubectl run ... --`, the lines typed into its shell,
// and a container's own client loop (`sh -c 'while true; do wget ...; done'`). A probe is read from them; other
// network tools are said to be skipped.
import type { DocCommand } from './doc-command.ts';
import { isProbeClient, otherClient, probeCall } from './probe-commands.ts';
import { parseShellLine } from './shell.ts';

// Programs a reader runs in a pod to look at the network that the harness does not probe with.
export const NETWORK_TOOLS = new Set(['ping6', 'nslookup', 'dig', 'host', 'traceroute', 'telnet', 'openssl', 'grpcurl', 'http', 'httpie']);
export const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/bin/zsh', '/usr/bin/bash']);
// Shell keywords that lead a command (`do kubectl exec ...` in a one-line loop), and prefixes that run the rest.
export const LEADING = new Set(['do', 'then', 'else', 'elif', '{', '!', 'time', 'export', 'sudo']);

/** The script of `sh -c 'script'` (`bash -c -- 'script'`: -- ends the shell's options), if the words are one. */
function shellScript(words: readonly string[]): string | undefined {
  if (!SHELLS.has(words[0] ?? '') || words[1] !== '-c') return undefined;
  return words[words[2] === '--' ? 3 : 2];
}

/** Words run in a pod (after `kubectl exec POD --`, or typed at its prompt); `sh -c '...'` is read inside. */
export function inPod(words: readonly string[], pod: string, namespace: string | undefined): DocCommand {
  // `timeout 5 wget ...`: coreutils' and busybox's timeout runs the command after its duration.
  if (words[0] === 'timeout') {
    const duration = words.findIndex((w, i) => i > 0 && !w.startsWith('-'));
    return duration < 0 ? { kind: 'other', program: 'timeout' } : inPod(words.slice(duration + 1), pod, namespace);
  }
  const script = shellScript(words);
  if (script !== undefined) {
    const inner = parseShellLine(script)[0];
    return inner ? inPod(inner[0]!, pod, namespace) : { kind: 'other', program: words[0]! };
  }
  const call = probeCall(words) ?? otherClient(words);
  if (call) return { kind: 'probe', namespace, pod, call };
  const program = words[0]?.split('/').at(-1) ?? '';
  if (NETWORK_TOOLS.has(program) || isProbeClient(program)) return { kind: 'skipped', why: `${words.join(' ')}: ${NETWORK_TOOLS.has(program) ? `${program} is not a probe the harness runs` : 'no target the harness can probe'}` };
  return { kind: 'other', program: `kubectl exec ${program}` };
}

/** A command typed into a pod's shell (an interactive session): a probe from that pod, or nothing to follow. */
export function parsePodCommandLine(line: string, pod: string, namespace: string | undefined): DocCommand[] {
  return parseShellLine(line).map((pipeline) => inPod(pipeline[0]!, pod, namespace));
}

/**
 * The probe a container's own command runs, if it is a client loop (`sh -c 'while true; do wget -qO- web; sleep 1;
 * done'`): the first request of the script, from that pod.
 */
export function loopProbe(command: readonly string[], pod: string, namespace: string | undefined): Extract<DocCommand, { kind: 'probe' }> | undefined {
  const script = shellScript(command);
  if (script === undefined) return undefined;
  try {
    for (const pipeline of parseShellLine(script.replaceAll('\n', ';'))) {
      let words = pipeline[0] ?? [];
      while (LEADING.has(words[0] ?? '') || words[0] === 'while' || words[0] === 'until') words = words.slice(1);
      const c = inPod(words, pod, namespace);
      if (c.kind === 'probe') return c;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
