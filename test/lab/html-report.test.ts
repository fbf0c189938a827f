// The HTML report, opened in a real headless Chromium (Debian's chromium; the one GitHub's runner image carries): the
// DOM shows every failing cell with the model's explanation, and a screenshot is kept in results/ for a person to look
// at. A lab test (npm run test:lab): test/report/html.test.ts checks the file itself without a browser.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { REPO } from '../support/fixture.ts';
import { reportWithOneFailure } from '../support/html-report.ts';
import { labSetUp, requireLab } from '../support/lab-needs.ts';

const headless = (...args: string[]) => execa('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', ...args], { reject: false, timeout: 120_000 });

describe('the HTML report in Chromium', () => {
  let html: string;
  let results: ResultsFile;
  const ready = labSetUp(async () => {
    await requireLab('the HTML report test in Chromium', { programs: ['chromium'] });
    ({ html, results } = await reportWithOneFailure());
  });

  it('shows every failing cell and its explanation, and leaves a screenshot', async () => {
    ready();
    const dom = await headless('--dump-dom', `file://${html}`);
    expect(dom.exitCode).toBe(0);
    const failing = results.suites.flatMap((s) => s.steps.flatMap((st) => st.cells)).filter((c) => !c.pass);
    expect(failing).toHaveLength(1);
    for (const cell of failing) {
      const td = new RegExp(`<td class="fail" data-cell="${cell.from} -&gt; ${cell.to}"><details><summary>✗ ${cell.observed}[^]*?</td>`).exec(dom.stdout)?.[0];
      expect(td, `${cell.from} -> ${cell.to} in the DOM`).toBeDefined();
      expect(td).toContain('expected: ok:200');
      for (const line of cell.explanation) expect(td).toContain(line.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;'));
    }
    expect(dom.stdout.match(/<td class="pass"/g)!.length).toBeGreaterThan(400);
    // The failing suite comes first.
    expect(/<section class="suite" data-pass="(\w+)"><h2>(\w+) /.exec(dom.stdout)?.slice(1)).toEqual(['false', 'FAIL']);
    // The policies in force at the failing step, with whom they select.
    expect(dom.stdout).toMatch(/<summary>policies in force: 2<\/summary><div class="why">NetworkPolicy default\/backend-ingress-deny \([^)]*\): selects default\/backend-0; isolates ingress/);
    await mkdir(path.join(REPO, 'results'), { recursive: true });
    const png = path.join(REPO, 'results/html-report.png');
    await writeFile(png, '');
    const shot = await headless(`--screenshot=${png}`, '--window-size=1400,1800', `file://${html}`);
    expect(shot.exitCode).toBe(0);
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG');
  });
});
