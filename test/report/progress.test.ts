// Progress on long runs: a live line on a terminal, a line per step with its timing in CI logs on a cluster (the
// groups per suite under GitHub Actions are the terminal reporter's: test/session/). test/lab/terminal.test.ts
// watches the live line on a real terminal.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/report/progress.ts';
import type { StepResult } from '../../src/results/result.ts';

const step = (index: number, cells: number): StepResult => ({
  index,
  name: `step-${index}`,
  actions: [],
  convergenceMs: 0,
  enforcement: 'confirmed',
  timing: { applyMs: 812, enforceMs: 1430, probeMs: 2210, settleMs: 0 },
  cells: Array.from({ length: cells }, () => ({}) as StepResult['cells'][number]),
});

function progress(options: { live: boolean; perStep: boolean }) {
  let out = '';
  let clock = 0;
  const p = new Progress({ ...options, write: (t) => void (out += t), now: () => clock });
  return { p, out: () => out, tick: (ms: number) => void (clock += ms) };
}

describe('progress', () => {
  it('on a terminal: one line rewritten in place with suite, step, cells so far and elapsed time, cleared before output', () => {
    const { p, out, tick } = progress({ live: true, perStep: false });
    p.suiteStarts('DNS-aware', 1, 50);
    tick(1500);
    p.step(step(0, 4), 3);
    tick(1000);
    p.step(step(1, 8), 3);
    p.clear();
    // Colors (SGR codes) aside: a terminal shows them, a log does not.
    expect(out().replace(/\u001b\[\d+m/g, '')).toBe('\r\u001b[2Ksuite 2/50 DNS-aware · step 1/3 · 4 cells · 1.5 s\r\u001b[2Ksuite 2/50 DNS-aware · step 2/3 · 12 cells · 2.5 s\r\u001b[2K');
  });

  it('in a CI log: a line per step with where its time went', () => {
    const { p, out } = progress({ live: false, perStep: true });
    p.suiteStarts('DNS-aware', 0, 2);
    p.step(step(1, 4), 3);
    p.clear();
    expect(out()).toBe('  step 2/3 step-1: 4 cells; apply 0.8 s, enforce 1.4 s, probe 2.2 s, settle 0.0 s\n');
  });

  it('says nothing per step on the model outside a terminal (its steps take milliseconds)', () => {
    const { p, out } = progress({ live: false, perStep: false });
    p.suiteStarts('x', 0, 1);
    p.step(step(0, 4), 1);
    p.clear();
    expect(out()).toBe('');
  });
});
