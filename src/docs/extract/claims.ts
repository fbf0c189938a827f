// Probes and the claims the text makes about them: each probe becomes a cell of the latest step, and the output
// shown after probes is split among them (by section titles, else by order) and read as their claimed outcomes;
// flows shown (hubble, cilium monitor) are the claims of the probes whose flows they are (flow-claims.ts).
import { formatPodRef } from '../../probe/target.ts';
import type { SourceLine } from '../read/blocks.ts';
import { classifyClaimedOutput, outputSections } from '../read/claimed-output.ts';
import type { DocCommand } from '../read/commands.ts';
import { variableIn } from '../read/shell.ts';
import { flowOutput, holdsFlows } from './flow-claims.ts';
import { podOf, targetOf } from './targets.ts';
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

function probe(state: WalkState, c: Extract<DocCommand, { kind: 'probe' }>, place: Place, text: string): DocProbe {
  let step = state.steps.at(-1);
  if (!step) {
    step = { ...place, name: state.heading ? `${state.heading}: before any change` : 'before any change', actions: [], probes: [] };
    state.steps.push(step);
  }
  const names = [c.call.url, ...(variableIn(c.pod) ? [variableIn(c.pod)!.name] : [])];
  const probe: DocProbe = { ...place, command: text, step: state.steps.length - 1, claims: [], names, call: c.call, heading: state.heading };
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
  probe.names.push(formatPodRef(from.ref));
  probe.cell = { key: `${formatPodRef(from.ref)} -> ${to.text}`, from: from.ref, to: to.target };
  return probe;
}

/** Output lines after a command: the claims of the probes before them, or flows (claims of the probes they are of). */
export function output(state: WalkState, file: string, lines: SourceLine[]) {
  if (state.last === 'hubble') return flowOutput(state, file, lines, state.observer!);
  if (state.last !== 'probe' || state.pending.length === 0) return;
  const probes = state.pending;
  forgetProbes(state);
  if (holdsFlows(lines)) return flowOutput(state, file, lines, probes.at(-1)!);
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

const norm = (s: string) => s.toLowerCase().replace(/^call to\s*/, '').replace(/[^a-z0-9]/g, '');
