// Holds what `docs check` said of one tutorial against its truth file: which claims it found, judged and judged
// right, which it contradicted though they hold (the false alarms that get a checker switched off), which claims it
// made up, and which of its lint findings and errors are not problems of the text.
import path from 'node:path';
import type { Truth, TruthClaim } from './truth.ts';

/** A claim and a finding as `docs check --json` writes them (docs/tutorials.md, "JSON"). */
export interface ToolClaim {
  file: string;
  line: number;
  commandLine: number;
  verdict: 'holds' | 'contradicted' | 'not-checkable';
  why?: string;
}
export interface ToolFinding {
  file: string;
  line: number;
  severity: 'lint' | 'error' | 'warning';
  rule: string;
  message: string;
}

export interface Score {
  claims: number;
  found: number;
  judged: number;
  correct: number;
  /** Contradicted by the tool, though the text holds or no reader can tell. */
  falseContradictions: Match[];
  /** Said to hold, though the text is wrong. */
  missedContradictions: Match[];
  /** Found, but said to be not checkable: each with the tool's reason. */
  unjudged: Match[];
  /** Claims of the tool's with no claim of the truth's at their place (a second one at a claim's place is none). */
  extra: ToolClaim[];
  missed: TruthClaim[];
  /** Lint findings and errors of the tool's (those that fail a check) that are no problem of the text. */
  notProblems: ToolFinding[];
  /** Warnings: what the tool did not follow or read, which fail nothing. */
  notes: number;
  problems: number;
  problemsFound: number;
}
export interface Match {
  truth: TruthClaim;
  tool: ToolClaim;
}

/** How far from the truth's line the tool may put a claim: an output block's first line, or its fence. */
const NEAR = 2;

export function score(truth: Truth, tool: { claims: ToolClaim[]; findings: ToolFinding[] }, cwd = process.cwd()): Score {
  const abs = (f: string) => path.resolve(cwd, f);
  const left = tool.claims.map((c) => ({ ...c, file: abs(c.file) }));
  const matches: Match[] = [];
  const missed: TruthClaim[] = [];
  // Claims with a probe first: they are the more specific, and an output block shown for several probes has them.
  const ordered = [...truth.claims].sort((a, b) => Number(b.probe !== undefined) - Number(a.probe !== undefined));
  // Within two lines of the truth's, of its probe or one line off it (a command continued over lines).
  const distance = (c: ToolClaim, t: TruthClaim) => ({ dl: Math.abs(c.line - t.line), dp: t.probe === undefined ? 0 : Math.abs(c.commandLine - t.probe) });
  const near = (c: ToolClaim, t: TruthClaim) => {
    const { dl, dp } = distance(c, t);
    return c.file === t.file && dl <= NEAR && dp <= 1;
  };
  for (const t of ordered) {
    const candidates = left
      .map((c, i) => ({ c, i, ...distance(c, t) }))
      .filter(({ c }) => near(c, t))
      .sort((a, b) => a.dl + a.dp - (b.dl + b.dp));
    const best = candidates[0];
    if (!best) {
      missed.push(t);
      continue;
    }
    matches.push({ truth: t, tool: best.c });
    left.splice(best.i, 1);
  }
  // A second claim at a claim's place (a loop unrolled into probes of one line) is not made up; if it contradicts
  // what holds, it is a false alarm all the same.
  const again = left.flatMap((c) => {
    const t = truth.claims.find((t) => near(c, t));
    return t ? [{ truth: t, tool: c }] : [];
  });
  const judged = matches.filter((m) => m.tool.verdict !== 'not-checkable');
  const problems = truth.problems ?? [];
  const isProblem = (f: ToolFinding) => problems.some((p) => p.file === abs(f.file) && Math.abs(p.line - f.line) <= 1);
  return {
    claims: truth.claims.length,
    found: matches.length,
    judged: judged.length,
    correct: judged.filter((m) => m.tool.verdict === m.truth.verdict).length,
    unjudged: matches.filter((m) => m.tool.verdict === 'not-checkable'),
    falseContradictions: [...judged, ...again].filter((m) => m.tool.verdict === 'contradicted' && m.truth.verdict !== 'contradicted'),
    missedContradictions: judged.filter((m) => m.tool.verdict === 'holds' && m.truth.verdict === 'contradicted'),
    extra: left.filter((c) => !again.some((a) => a.tool === c)),
    missed,
    notProblems: tool.findings.filter((f) => f.severity !== 'warning' && !isProblem(f)),
    notes: tool.findings.filter((f) => f.severity === 'warning').length,
    problems: problems.length,
    problemsFound: problems.filter((p) => tool.findings.some((f) => abs(f.file) === p.file && Math.abs(p.line - f.line) <= 1)).length,
  };
}
