// The HTML report, opened in a real headless Chromium (Debian's chromium): the DOM shows every failing cell with the
// model's explanation, the page makes no network request, and a screenshot is kept in results/ for a person to look at.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/report/json.ts';
import { cli } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';

const chromium = (await execa('chromium', ['--version'], { reject: false }).catch(() => ({ exitCode: 127 }))).exitCode === 0;
const headless = (...args: string[]) => execa('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', ...args], { reject: false, timeout: 120_000 });

let dir: string;
let html: string;
let results: ResultsFile;
beforeAll(async () => {
  // Every suite, with one expectation made wrong: one failing cell among 600 and more.
  const original = await readFile(path.join(REPO, 'suites/cilium-basics-network-policies.suite.yaml'), 'utf8');
  const wrong = original
    .replace('manifestDir: ../manifests', `manifestDir: ${path.join(REPO, 'manifests')}`)
    .replace('not-frontend -> backend:8080: { outcome: connect-timeout, claim: seeds/003_87bba962e4e6e360.txt:226 }', 'not-frontend -> backend:8080: "ok:200"');
  dir = await fixture({ 'suites/wrong.suite.yaml': wrong });
  html = path.join(dir, 'report.html');
  const json = path.join(dir, 'results.json');
  await cli('run', path.join(REPO, 'suites/conformance'), path.join(dir, 'suites'), '--html', html, '--json', json);
  results = JSON.parse(await readFile(json, 'utf8')) as ResultsFile;
});

describe('the HTML report', () => {
  it('is one self-contained file: no script, stylesheet, image or frame to fetch', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).not.toMatch(/<(script|link|img|iframe)\b|\bsrc=|url\(/i);
    expect(results.suites.flatMap((s) => s.steps.flatMap((st) => st.cells)).length).toBeGreaterThan(500);
    // Small enough to open at once: under 2 kB a cell.
    expect((await stat(html)).size / results.suites.flatMap((s) => s.steps.flatMap((st) => st.cells)).length).toBeLessThan(2048);
  });

  it.skipIf(!chromium)('shows every failing cell and its explanation in Chromium, and leaves a screenshot (needs chromium)', async () => {
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
