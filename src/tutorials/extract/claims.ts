// Probes and the claims the text makes about them: each probe becomes a cell of the latest step, and the output
// shown after probes is split among them (by section titles, else by order) and read as their claimed outcomes;
// flows shown (hubble, cilium monitor) are the claims of the probes whose flows they are (flow-claims.ts).
import { formatPodRef } from '../../probe/target.ts';
import type { SourceLine } from '../read/blocks.ts';
import { classifyClaimedOutput, outputSections } from '../read/claimed-output.ts';
import { otherClientProblem } from '../read/probe-commands.ts';
import type { DocCommand } from '../read/doc-command.ts';
import { commentOutcome, introducesEach, outcomeSentences } from '../read/outcome-sentences.ts';
import { variableIn } from '../read/shell.ts';
import { unsimulatedProblem } from './changes.ts';
import { flowOutput, holdsFlows } from './flow-claims.ts';
import { isPlaceholder, podOf, targetOf } from './targets.ts';
import { namedIn, resolveNamed, sentenceKey } from './named-claims.ts';
import { statedClaim, type DocProbe, type Place, type Said, type ReadingState } from './reading-state.ts';

/** Output after a heading, in another chapter or after any other command belongs to no probe before it. */
export function forgetProbes(state: ReadingState) {
  state.pending = [];
  state.last = 'other';
}

/** A probe command: it joins the probes before it, if nothing came between, to share the output shown after them. */
export function probeCommand(state: ReadingState, c: Extract<DocCommand, { kind: 'probe' }>, place: Place, text: string) {
  if (state.last !== 'probe') state.pending = [];
  state.last = 'probe';
  state.pending.push(probe(state, c, place, text));
}

function probe(state: ReadingState, c: Extract<DocCommand, { kind: 'probe' }>, place: Place, text: string): DocProbe {
  let step = state.steps.at(-1);
  if (!step) {
    step = { ...place, name: state.heading ? `${state.heading}: before any change` : 'before any change', actions: [], probes: [] };
    state.steps.push(step);
  }
  const names = [c.call.url, ...(variableIn(c.pod) ? [variableIn(c.pod)!.name] : [])];
  const probe: DocProbe = { ...place, command: text, step: state.steps.length - 1, claims: [], names, call: c.call, client: { pod: c.pod, namespace: c.namespace }, changes: state.changes, heading: state.heading };
  state.probes.push(probe);
  step.probes.push(probe);
  if (state.shown.told || state.shown.stale) state.shown = { probes: [], told: false };
  state.shown.probes.push(probe);
  if (c.call.client === 'program') {
    probe.problem = otherClientProblem(c.call);
    return probe;
  }
  if (state.lost) {
    probe.problem = `the tutorial's state is unknown after ${state.lost}`;
    return probe;
  }
  const from = podOf(state, c.pod, c.namespace);
  if ('problem' in from) {
    probe.problem = from.problem;
    return probe;
  }
  if (c.call.unprobed) {
    probe.problem = `a name lookup of ${c.call.url.slice('dns://'.length)}: ${c.call.unprobed}`;
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

/** Output lines after a command: the claims of the probes before them, or flows (claims of the probes they are of). */
export function output(state: ReadingState, file: string, lines: SourceLine[]) {
  if (state.last === 'hubble') return flowOutput(state, file, lines, state.observer!);
  if (state.last !== 'probe' || state.pending.length === 0) return;
  // A command with a placeholder, then the same spelled out ("To combine both of the above steps:"): the output is
  // what the one the reader can run prints.
  const runnable = state.pending.filter((p) => !isPlaceholder(p.problem));
  const probes = runnable.length > 0 ? runnable : state.pending;
  forgetProbes(state);
  // `...` alone stands for output the text leaves out: it claims nothing.
  if (lines.every((l) => /^\s*(\.{3}|…)?\s*$/.test(l.text))) return;
  if (holdsFlows(lines)) return flowOutput(state, file, lines, probes.at(-1)!);
  const sections = outputSections(
    lines,
    probes.length,
    probes.every((p) => p.call.prints === 'code'),
  );
  // A section marked off (by a title, by blank lines) is claimed at its line; responses one a line, or one response
  // shown for all, are one block: each probe's claim is at the block's first line.
  const blockLine = (lines.find((l) => l.text.trim() !== '') ?? lines[0]!).line;
  const oneBlock = sections.every((s, i) => s.title === undefined && s.lines.length === 1 && (i === 0 || s.lines[0]!.line === sections[i - 1]!.lines[0]!.line + 1));
  const claim = (probe: DocProbe, shown: SourceLine[], at?: number) => {
    const first = at ?? (shown.find((l) => l.text.trim() !== '') ?? lines[0]!).line;
    const classified = classifyClaimedOutput(shown, probe.call);
    probe.claims.push({
      file,
      line: first,
      output: shown
        .map((l) => l.text.trim())
        .filter(Boolean)
        .join('\n'),
      ...classified,
    });
  };
  if (probes.length === 1)
    return claim(
      probes[0]!,
      sections.flatMap((s) => s.lines),
    );
  // "You should see this for each command:" before one response: it is every probe's.
  const each = state.held?.each;
  const byTitle = probes.map((p) => sections.filter((s) => s.title !== undefined && p.names.some((n) => norm(s.title!) === norm(n) || norm(s.title!).endsWith(norm(n)))));
  if (byTitle.every((m) => m.length === 1) && new Set(byTitle.map((m) => m[0])).size === probes.length) {
    probes.forEach((p, i) => claim(p, byTitle[i]![0]!.lines));
  } else if (sections.length === probes.length) {
    probes.forEach((p, i) => claim(p, sections[i]!.lines, oneBlock ? blockLine : undefined));
  } else if (each && sections.length === 1) {
    for (const p of probes) claim(p, sections[0]!.lines, blockLine);
  } else {
    for (const p of probes) {
      p.claims.push({ file, line: lines[0]!.line, output: '', why: `the output at line ${lines[0]!.line} has ${sections.length} section(s) for ${probes.length} probes: which output belongs to which probe is not said` });
    }
  }
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/^call to\s*/, '')
    .replace(/[^a-z0-9]/g, '');

/** A heading or a new chapter: what the text says after it is about no probe before it. */
export function newSection(state: ReadingState) {
  resolveHeld(state);
  resolveNamed(state);
  state.shown = { probes: [], told: false };
}

/**
 * Prose that states the outcome of probes ("The `curl` command should now time out", "The first command will work"):
 * claims of the probes shown just before it, since the last change. Its last sentence may instead introduce the code
 * block after it ("this should succeed:"): it is held until that block comes.
 */
export function proseClaims(state: ReadingState, file: string, line: number, text: string) {
  resolveHeld(state);
  const read = outcomeSentences(text, line);
  // A sentence the order words do not read, or tie to no probe (tell), may name its probes' client and target.
  const named = namedIn(state, file, line, text);
  const said: Said[] = read.filter((s) => !s.listed).map((s) => ({ said: s, named: named.get(sentenceKey(s)) }));
  for (const s of read) named.delete(sentenceKey(s));
  state.named.push(...named.values());
  const before = shownBefore(state);
  const each = introducesEach(text);
  if (said.length === 0) {
    if (each) state.held = { file, sentences: [], before, each };
    return;
  }
  const last = said.at(-1)!.said;
  // After probes the text already told about (output, a sentence), a closing sentence speaks of what comes next.
  const ahead = last.final && !last.back && (last.colon || before.length === 0 || state.shown.told || before.every((p) => p.claims.length > 0));
  for (const s of ahead ? said.slice(0, -1) : said) tell(state, file, s, before);
  if (ahead || each) state.held = { file, sentences: ahead ? said.slice(-1) : [], before, each };
}

/**
 * The block after held sentences: `ahead` are the probes of a code block that starts with one, [] for a block they
 * may introduce but that runs no probe first (a manifest, another command), undefined for prose or output: the
 * sentences then speak of the probes before them.
 */
export function resolveHeld(state: ReadingState, ahead?: DocProbe[]) {
  const held = state.held;
  if (!held) return;
  state.held = undefined;
  for (const s of held.sentences) tell(state, held.file, s, ahead ?? held.before);
}

/** A code block other than probes and their output: the probes before it are no longer "just shown". */
export function otherBlock(state: ReadingState) {
  state.shown.stale = true;
}

/** The probes of the latest group, unless a command or a manifest was shown after them. */
function shownBefore(state: ReadingState): DocProbe[] {
  const probes = state.shown.probes;
  const first = probes[0];
  if (!first || state.shown.stale) return [];
  const changed = state.steps.slice(first.step + 1).some((s) => s.actions.some((a) => !a.throwaway));
  return changed ? [] : probes;
}

function tell(state: ReadingState, file: string, { said: s, named }: Said, probes: DocProbe[]) {
  const r = s.refers;
  const chosen = r.kind === 'nth' ? probes.slice(r.index, r.index + 1) : r.kind === 'last' ? probes.slice(-1) : r.kind === 'both' ? (probes.length === 2 ? probes : []) : r.kind === 'all' ? probes : probes.length === 1 ? probes : [];
  // "As you can see ..." after an output says again what the output claims.
  const told = s.restates ? chosen.filter((p) => p.claims.every((c) => c.stated)) : chosen;
  for (const p of told) p.claims.push(statedClaim(file, s.line, s.text, s.expect));
  if (chosen.length > 0 && probes === state.shown.probes) state.shown.told = true;
  if (chosen.length === 0 && named) state.named.push(named);
}

/** A shell comment on a probe's line or the line above it (`# This should not work`): a claim of that probe. */
export function commentClaims(file: string, comment: { line: number; text: string } | undefined, probes: DocProbe[]) {
  const expect = comment && commentOutcome(comment.text);
  if (!expect || probes.length !== 1) return;
  probes[0]!.claims.push(statedClaim(file, comment.line, comment.text.replace(/^#+\s*/, ''), expect));
}
