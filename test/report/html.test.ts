// The HTML report: one self-contained file. test/lab/html-report.test.ts opens it in a real headless Chromium.
import { readFile, stat } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { reportWithOneFailure } from '../support/html-report.ts';

let html: string;
let results: ResultsFile;
beforeAll(async () => {
  ({ html, results } = await reportWithOneFailure());
});

describe('the HTML report', () => {
  it('is one self-contained file: no script, stylesheet, image or frame to fetch', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).not.toMatch(/<(script|link|img|iframe)\b|\bsrc=|url\(/i);
    expect(results.suites.flatMap((s) => s.steps.flatMap((st) => st.cells)).length).toBeGreaterThan(500);
    // Small enough to open at once: under 2 kB a cell.
    expect((await stat(html)).size / results.suites.flatMap((s) => s.steps.flatMap((st) => st.cells)).length).toBeLessThan(2048);
  });
});
