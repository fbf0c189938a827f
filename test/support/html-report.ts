// The HTML report of every suite, with one expectation made wrong: one failing cell among 600 and more, for the tests
// of the page (test/report/html.test.ts) and of what Chromium shows of it (test/lab/html-report.test.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { runInProcess } from './cli.ts';
import { fixture, REPO } from './fixture.ts';

export async function reportWithOneFailure(): Promise<{ html: string; results: ResultsFile }> {
  const original = await readFile(path.join(REPO, 'suites/cilium-basics-network-policies.suite.yaml'), 'utf8');
  const wrong = original
    .replace('manifestDir: ../manifests', `manifestDir: ${path.join(REPO, 'manifests')}`)
    .replace('not-frontend -> backend:8080: { outcome: connect-timeout, claim: seeds/003_87bba962e4e6e360.txt:226 }', 'not-frontend -> backend:8080: "ok:200"');
  const dir = await fixture({ 'suites/wrong.suite.yaml': wrong });
  const html = path.join(dir, 'report.html');
  const json = path.join(dir, 'results.json');
  await runInProcess('run', path.join(REPO, 'suites/conformance'), path.join(dir, 'suites'), '--html', html, '--json', json);
  return { html, results: JSON.parse(await readFile(json, 'utf8')) as ResultsFile };
}
