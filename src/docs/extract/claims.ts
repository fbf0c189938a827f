// Probes and the claims the text makes about them: each probe becomes a cell of the latest step, and the output
// shown after probes is split among them (by section titles, else by order) and read as their claimed outcomes;
// hubble's `Policy denied DROPPED` is a claim about the latest probe from the pod it names.
import { formatPodRef } from '../../probe/target.ts';
import type { SourceLine } from '../read/blocks.ts';
import { classifyClaimedOutput, outputSections } from '../read/claimed-output.ts';
import type { DocCommand } from '../read/commands.ts';
import { variableIn } from '../read/shell.ts';
import { unsimulatedProblem } from './changes.ts';
import { podOf, POD_LABEL, targetOf } from './targets.ts';
import type { DocProbe, Place, WalkState } from './walk-state.ts';

/** Output after a heading, in another chapter or after any other command belongs to no probe before it. */
export function forgetProbes(state: WalkState) {
  state.pending = [];
  state.last = 'other';
}

/** A probe command: it joins the probes before it, if nothing came between, to share the output shown after them. */
export function probeCommand(state: WalkState, c: Extract<DocCommand, { kind: 'probe' }>, place: Place, text: string) {
  if (state.last !== 'probe') state.pending = [];
  state.last = 'probe';
  state.pending.push(probe(state, c, place, text));
}

/** `hubble observe --from-label KEY=VALUE`: the output after it may show that pod's flows dropped. */
export function hubbleCommand(state: WalkState, text: string) {
  state.last = 'hubble';
  const label = /--from-label[= ](\S+)/.exec(text)?.[1];
  const m = label && /^([\w./-]+)=([\w.-]+)$/.exec(label);
  state.hubble = m ? { labels: { [m[1]!]: m[2]! } } : undefined;
}

function probe(state: WalkState, c: Extract<DocCommand, { kind: 'probe' }>, place: Place, text: string): DocProbe {
  let step = state.steps.at(-1);
  if (!step) {
    step = { ...place, name: state.heading ? `${state.heading}: before any change` : 'before any change', actions: [], probes: [] };
    state.steps.push(step);
  }
  const names = [c.call.url, ...(variableIn(c.pod) ? [variableIn(c.pod)!.name] : [])];
  const probe: DocProbe = { ...place, command: text, step: state.steps.length - 1, claims: [], names, call: c.call };
  state.probes.push(probe);
  step.probes.push(probe);
  if (state.lost) {
    probe.problem = `the tutorial's state is unknown after ${state.lost}`;
    return probe;
  }
  const from = podOf(state, c.pod, c.namespace);
  if ('problem' in from) {
    probe.problem = from.problem;
    return probe;
  }
  const to = targetOf(state, c.call.url, c.call.method, c.call.headers ?? []);
  if ('problem' in to) {
    probe.problem = to.problem;
    return probe;
  }
  const unsimulated = unsimulatedProblem(state, from.ref, to.target);
  if (unsimulated) {
    probe.problem = unsimulated;
    return probe;
  }
  probe.names.push(formatPodRef(from.ref));
  probe.cell = { key: `${formatPodRef(from.ref)} -> ${to.text}`, from: from.ref, to: to.target };
  return probe;
}

/** Output lines after a command: the claims of the probes before them, or hubble's word on a dropped flow. */
export function output(state: WalkState, file: string, lines: SourceLine[]) {
  if (state.last === 'hubble') return hubbleOutput(state, file, lines);
  if (state.last !== 'probe' || state.pending.length === 0) return;
  const probes = state.pending;
  forgetProbes(state);
  const sections = outputSections(lines, probes.length, probes.every((p) => p.call.prints === 'code'));
  const claim = (probe: DocProbe, shown: SourceLine[]) => {
    const first = shown.find((l) => l.text.trim() !== '') ?? lines[0]!;
    const classified = classifyClaimedOutput(shown, probe.call);
    probe.claims.push({ file, line: first.line, output: shown.map((l) => l.text.trim()).filter(Boolean).join('\n'), ...classified });
  };
  if (probes.length === 1) return claim(probes[0]!, sections.flatMap((s) => s.lines));
  const byTitle = probes.map((p) => sections.filter((s) => s.title !== undefined && p.names.some((n) => norm(s.title!) === norm(n) || norm(s.title!).endsWith(norm(n)))));
  if (byTitle.every((m) => m.length === 1) && new Set(byTitle.map((m) => m[0])).size === probes.length) {
    probes.forEach((p, i) => claim(p, byTitle[i]![0]!.lines));
  } else if (sections.length === probes.length) {
    probes.forEach((p, i) => claim(p, sections[i]!.lines));
  } else {
    for (const p of probes) {
      p.claims.push({ file, line: lines[0]!.line, output: '', why: `the output at line ${lines[0]!.line} has ${sections.length} section(s) for ${probes.length} probes: which output belongs to which probe is not said` });
    }
  }
}

/** `hubble observe --from-label app=x` showing `Policy denied DROPPED`: a claim that x's latest probe was dropped. */
function hubbleOutput(state: WalkState, file: string, lines: SourceLine[]) {
  const dropped = lines.find((l) => /Policy denied\s+DROPPED/.test(l.text));
  const name = state.hubble?.labels[POD_LABEL];
  if (!dropped || !name) return;
  const step = state.steps.at(-1);
  const probe = step?.probes.filter((p) => p.cell?.from.name === name).at(-1);
  if (!probe) return;
  const flow = /->|<>/.test(dropped.text) ? dropped.text.trim().split(/\s+(?:->|<>)\s+/)[1]?.split(/\s/)[0] : undefined;
  probe.claims.push({ file, line: dropped.line, output: dropped.text.trim(), expect: { outcome: 'denied' }, reason: `hubble shows the flow to ${flow ?? 'the target'} dropped: Policy denied` });
}

const norm = (s: string) => s.toLowerCase().replace(/^call to\s*/, '').replace(/[^a-z0-9]/g, '');
