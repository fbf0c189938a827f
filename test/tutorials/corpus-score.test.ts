// The corpus scorer (scripts/corpus/score.ts) matches the tool's claims to the truth's by place and probe, and
// counts a contradiction of a claim that holds as the false alarm it is.
import { describe, expect, it } from 'vitest';
import { score, type ToolClaim, type ToolFinding } from '../../scripts/corpus/score.ts';
import type { Truth } from '../../scripts/corpus/truth.ts';

const FILE = '/t/README.md';
const claim = (line: number, probe: number | undefined, verdict: Truth['claims'][number]['verdict']) => ({ line, probe, file: FILE, kind: 'output' as const, says: '', verdict, reason: 'r' });
const tool = (line: number, commandLine: number, verdict: ToolClaim['verdict']): ToolClaim => ({ file: FILE, line, commandLine, verdict });
const finding = (line: number, severity: ToolFinding['severity']): ToolFinding => ({ file: FILE, line, severity, rule: 'r', message: 'm' });

describe('corpus scorer', () => {
  it('finds, judges and counts false alarms, made-up claims and findings that are no problem', () => {
    const truth: Truth = {
      target: FILE,
      claims: [claim(10, 9, 'holds'), claim(20, 18, 'holds'), claim(20, 19, 'contradicted'), claim(30, undefined, 'unknowable'), claim(40, 39, 'holds'), claim(50, 49, 'holds')],
      problems: [{ line: 60, file: FILE, reason: 'a typo' }],
    };
    const s = score(
      truth,
      {
        claims: [
          tool(11, 9, 'holds'), // a line off: the fence, not the output's first line
          tool(20, 19, 'holds'), // one block, two probes: each claim goes to its own probe
          tool(20, 18, 'contradicted'),
          tool(30, 29, 'not-checkable'),
          tool(40, 12, 'holds'), // the right line but another probe: not this claim
          tool(70, 69, 'holds'),
        ],
        findings: [finding(61, 'lint'), finding(5, 'error'), finding(6, 'warning')],
      },
      '/',
    );
    expect({ found: s.found, judged: s.judged, correct: s.correct }).toEqual({ found: 4, judged: 3, correct: 1 });
    expect(s.falseContradictions.map((m) => m.truth.probe)).toEqual([18]);
    expect(s.missedContradictions.map((m) => m.truth.probe)).toEqual([19]);
    expect(s.missed.map((m) => m.line)).toEqual([40, 50]);
    expect(s.extra.map((c) => c.line)).toEqual([40, 70]);
    expect(s.notProblems.map((f) => f.line)).toEqual([5]);
    expect({ notes: s.notes, problemsFound: s.problemsFound }).toEqual({ notes: 1, problemsFound: 1 });
  });

  it("a second claim at a claim's place is not made up, and a false alarm there still counts", () => {
    // tutorials/corpus/k8s-debug-service: a for loop over three endpoints, one output block: three probes of one line.
    const truth: Truth = { target: FILE, claims: [claim(130, 123, 'holds')] };
    const s = score(truth, { claims: [tool(130, 123, 'not-checkable'), tool(131, 123, 'holds'), tool(132, 123, 'contradicted'), tool(140, 123, 'holds')], findings: [] }, '/');
    expect(s.found).toBe(1);
    expect(s.extra.map((c) => c.line)).toEqual([140]);
    expect(s.falseContradictions.map((m) => m.tool.line)).toEqual([132]);
  });
});
