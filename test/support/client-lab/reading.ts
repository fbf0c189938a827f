// What netpol-e2e reads of a lab program's output: the probe classifier's outcome (src/probe/classify.ts, for the
// programs it probes with: curl, ping and nslookup) and the claim the docs reader takes from it as a tutorial shows it after
// kubectl exec (src/tutorials/read/claimed-output.ts, for every client). The claimed-output tests read the captures this
// way, and the lab test compares a program of another version with its capture this way.
import { classifyClaimedOutput, type ClaimedOutcome } from '../../../src/tutorials/read/claimed-output.ts';
import { probeCall } from '../../../src/tutorials/read/probe-commands.ts';
import { classifyCurl, classifyProbe } from '../../../src/probe/classify.ts';
import type { LabObservation } from './captures.ts';
import { CLIENT_SCENARIOS, LAB_SCENARIOS, LOOKUP_SCENARIOS, PING_SCENARIOS } from './scenarios.ts';

export const lines = (text: string, first = 1) => text.split('\n').map((t, i) => ({ text: t, line: first + i }));
const exitLine = (o: LabObservation) => (o.exitCode ? `command terminated with exit code ${o.exitCode}` : '');

/** The probe command a tutorial would show for a scenario (in a pod, ping and nslookup are plain names), for the docs reader. */
function callOf(name: string) {
  const client = CLIENT_SCENARIOS.find((s) => s.name === name);
  if (client) return probeCall([client.program, ...client.args]);
  const run = [...PING_SCENARIOS, ...LOOKUP_SCENARIOS].find((s) => s.name === name);
  return run && probeCall([run.argv[0]!.split('/').at(-1)!, ...run.argv.slice(1)]);
}

const isLookupProbe = (name: string) => LOOKUP_SCENARIOS.some((s) => s.name === name && s.argv[0]!.endsWith('nslookup'));

/** What a reader sees after kubectl exec: the output as the scenario's client prints it, then kubectl's exit code line. */
export function shown(name: string, o: LabObservation): string {
  // curl: its status line (the probe prints headers) or its error.
  if (LAB_SCENARIOS.some((s) => s.name === name)) return [o.stdout.split('\n')[0], o.stderr.trim(), exitLine(o)].filter(Boolean).join('\n');
  // The lab ran iputils by its path, which its messages then carry; in a pod the reader runs plain `ping`.
  return [o.stdout, o.stderr.replace(/^\/usr\/bin\/ping:/m, 'ping:'), exitLine(o)].filter(Boolean).join('\n');
}

/** The claim the docs reader takes from what the reader sees (curl's words say it on their own, without the call). */
export function claimOf(name: string, o: LabObservation): ClaimedOutcome {
  return classifyClaimedOutput(lines(shown(name, o)), callOf(name));
}

/**
 * Everything netpol-e2e reads of an observation, without the words it reads them from: the exit code, the probe
 * classifier's outcome and status (curl and ping only: the harness probes with nothing else), the docs reader's claim.
 */
export function reading(name: string, o: LabObservation): object {
  const probe = LAB_SCENARIOS.some((s) => s.name === name)
    ? classifyCurl(o)
    : PING_SCENARIOS.some((s) => s.name === name)
      ? classifyProbe(['ping', ...o.argv.slice(1)], o)
      : isLookupProbe(name)
        ? classifyProbe(['nslookup', ...o.argv.slice(1)], o)
        : undefined;
  const claim = claimOf(name, o);
  return {
    exitCode: o.exitCode,
    probe: probe && { outcome: probe.outcome, status: probe.status },
    claim: 'expect' in claim ? { expect: claim.expect, variant: claim.variant } : 'no claim',
  };
}
