// Every report of every command against one corpus of hostile strings (test/support/hostile.ts), put where a suite,
// a tutorial or a results file can put text: suite and step names, environment labels, outcomes, findings. No raw
// control or bidi character reaches a terminal, no newline forges a markdown row, no HTML tag is live, the JUnit file
// stays well-formed, and no workflow command can be broken out of.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocsCheck } from '../../src/tutorials/check/check.ts';
import { checkAnnotations, findingLine, renderCheck, renderMarkdown } from '../../src/tutorials/check/report.ts';
import { html, inert, json, markdown, workflowData, workflowProperty, xml } from '../../src/report/inert.ts';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { Progress } from '../../src/report/progress.ts';
import { runInProcess, runInProcessWith } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { elements, parseXml } from '../support/xml.ts';
import { HOSTILE, HOSTILE_MIX, HOSTILE_STRINGS, markdownProblems, RAW_ACTIVE, terminalProblems, unescapeWorkflow, xmlProblem } from '../support/hostile.ts';

const yamlString = (s: string) => json(s).trim();
/** The tags an HTML report may hold: its own. */
const OWN_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'p', 'div', 'section', 'table', 'tr', 'th', 'td', 'details', 'summary', 'span', 'ul', 'li']);
const tagsOf = (page: string) => new Set([...page.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
const htmlProblems = (page: string) => [...[...tagsOf(page)].filter((t) => !OWN_TAGS.has(t)).map((t) => `<${t}>`), ...terminalProblems(page)];
/** JSON as a report file holds it: parsed, it gives back the very strings; raw, no control or bidi character. */
const jsonProblems = (text: string) => terminalProblems(text);
/** A JUnit-like document with `text` as an attribute and as text, read back (strictly: parseXml): both give `shown`. */
function xmlRoundTrip(text: string, shown = inert(text)): void {
  const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<testcase name="${xml(text)}">${xml(text)}</testcase>\n`;
  expect(xml(text)).not.toMatch(/[<>"']|]]>/);
  expect(terminalProblems(doc)).toEqual([]);
  const element = parseXml(doc);
  expect([element.attributes.name, element.text]).toEqual([shown, shown]);
}

/**
 * A suite named with the corpus, one step per hostile string with one cell; then a policy applied twice, the second
 * time in a step named with the corpus that lint names as changing nothing.
 */
function hostileSuite(): string {
  return [
    `name: ${yamlString(HOSTILE_MIX)}`,
    `manifestDir: ${path.join(REPO, 'manifests')}`,
    'apps: [demo]',
    'steps:',
    ...HOSTILE_STRINGS.flatMap((name) => [`  - name: ${yamlString(name)}`, '    expect:', '      frontend -> backend:8080: "ok:200"']),
    ...[HOSTILE.title!, HOSTILE_MIX].flatMap((name) => [`  - name: ${yamlString(name)}`, '    apply: [policies/cilium-basics/backend-ingress-deny.yaml]']),
    '',
  ].join('\n');
}
const STEPS = HOSTILE_STRINGS.length + 2;

describe("each format's one escaping function, on every hostile string", () => {
  it.each(Object.entries(HOSTILE))('%s', (_, text) => {
    expect(inert(text)).not.toMatch(RAW_ACTIVE);
    expect(markdownProblems(markdown(text))).toEqual([]);
    expect(markdown(text)).not.toMatch(RAW_ACTIVE);
    expect(htmlProblems(`<p>${html(text)}</p>`)).toEqual([]);
    expect(html(text)).not.toMatch(/[<>"']|&(?!(?:amp|lt|gt|quot|#39);)/);
    // What the runner decodes is the inert text: no newline, no % sequence of the name's own survives.
    for (const encoded of [workflowData(text), workflowProperty(text)]) {
      expect(encoded).not.toMatch(/[\r\n]/);
      expect(unescapeWorkflow(encoded)).toBe(inert(text));
    }
    expect(workflowProperty(text)).not.toMatch(/[,:]/);
    const file = json({ text });
    expect(JSON.parse(file)).toEqual({ text });
    expect(jsonProblems(file)).toEqual([]);
    xmlRoundTrip(text);
  });

  it('xml: what XML 1.0 forbids beyond the controls (U+FFFE, U+FFFF, a lone surrogate) is shown escaped; a pair stays', () => {
    xmlRoundTrip('non\ufffechar\uffff', 'non\\ufffechar\\uffff');
    xmlRoundTrip('lone\ud800high', 'lone\\ud800high');
    xmlRoundTrip('lone\udfffow \udfff\ud800', 'lone\\udfffow \\udfff\\ud800');
    xmlRoundTrip('pair 😀 ok', 'pair 😀 ok');
  });
});

// Each test runs the command line (in-process) a few times on a suite of 25 steps: slow on a loaded machine.
describe('the reports of every command, on a suite named with the corpus', { timeout: 180_000 }, () => {
  let dir: string;
  let suite: string;
  let results: string;
  beforeAll(async () => {
    dir = await fixture({ 'hostile.suite.yaml': hostileSuite() });
    suite = path.join(dir, 'hostile.suite.yaml');
    results = path.join(dir, 'results.json');
  });

  it('run: the terminal report, the GitHub group lines, the per-step lines, the results JSON, the HTML page and the JUnit file', async () => {
    const page = path.join(dir, 'run.html');
    const summary = path.join(dir, 'run-summary.md');
    const junit = path.join(dir, 'run.xml');
    const r = await runInProcessWith({ GITHUB_ACTIONS: 'true' }, 'run', suite, '--json', results, '--html', page, '--summary', summary, '--annotations', '--junit', junit);
    expect(r.exitCode, r.stderr).toBe(0);
    // The JUnit file: well-formed, one testcase per cell (one per hostile step), each name read back inert.
    const junitText = await readFile(junit, 'utf8');
    expect(terminalProblems(junitText)).toEqual([]);
    expect(junitText).not.toMatch(/<(script|img|evil)|]]>/);
    const cases = elements(parseXml(junitText), 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual(HOSTILE_STRINGS.map((s) => `${inert(s)} / frontend -> backend:8080`));
    expect(new Set(cases.map((c) => c.attributes.classname))).toEqual(new Set([inert(HOSTILE_MIX)]));
    // The step summary: one heading, and the suite's row as many cells as the header, its name escaped.
    const md = await readFile(summary, 'utf8');
    expect(terminalProblems(md)).toEqual([]);
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual(['### ✅ netpol-e2e run: 1/1 suites pass']);
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    const cellsOf = (row: string) => row.replace(/\\[\s\S]/g, '').split('|').length;
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map(cellsOf))).toEqual(new Set([cellsOf(rows[0]!)]));
    expect(rows[2]).toContain(markdown(HOSTILE_MIX));
    expect(terminalProblems(r.stdout)).toEqual([]);
    expect(terminalProblems(r.stderr)).toEqual([]);
    // The one group line says the name with its % escaped: the runner decodes no %0A of the name's own.
    const group = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(group).toEqual([`::group::${workflowData(HOSTILE_MIX)}`, '::endgroup::']);
    expect(unescapeWorkflow(group[0]!.slice('::group::'.length))).toBe(inert(HOSTILE_MIX));
    // No step name forged a PASS line or a row.
    expect(r.stdout.split('\n').filter((l) => /^(PASS|FAIL)/.test(l))).toHaveLength(2);
    const text = await readFile(results, 'utf8');
    expect(jsonProblems(text)).toEqual([]);
    const parsed = JSON.parse(text) as ResultsFile;
    expect(parsed.suites[0]!.steps.map((s) => s.name)).toEqual([...HOSTILE_STRINGS, HOSTILE.title, HOSTILE_MIX]);
    expect(htmlProblems(await readFile(page, 'utf8'))).toEqual([]);
    // Per-step lines, as a cluster run in a CI log prints them.
    const lines: string[] = [];
    const progress = new Progress({ live: false, perStep: true, write: (t) => void lines.push(t) });
    progress.suiteStarts(parsed.suites[0]!.name, 0, 1);
    for (const step of parsed.suites[0]!.steps) progress.step(step, parsed.suites[0]!.steps.length);
    expect(terminalProblems(lines.join(''))).toEqual([]);
    // No step name starts a line of its own, where it could be a workflow command.
    expect(
      lines
        .join('')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('  step ')),
    ).toEqual([]);
  });

  it('explain and lint', async () => {
    const explain = await runInProcess('explain', suite);
    expect(explain.exitCode, explain.stderr).toBe(0);
    expect(terminalProblems(explain.stdout)).toEqual([]);
    const lint = await runInProcess('lint', suite);
    // Every step after the first changes nothing: the findings name the steps.
    expect(lint.exitCode).toBe(1);
    expect(lint.stdout).toContain('step-without-effect');
    expect(terminalProblems(lint.stdout)).toEqual([]);
  });

  it('compare: the terminal table, the markdown table, the HTML grid and the JSON, with hostile environments and outcomes', async () => {
    if (!(await readFile(results, 'utf8').catch(() => ''))) expect((await runInProcess('run', suite, '--json', results)).exitCode).toBe(0);
    const run = JSON.parse(await readFile(results, 'utf8')) as ResultsFile;
    // Another "version" on which every cell fails: a regression per step, each row named by the corpus.
    run.environment = { ...run.environment, ciliumVersion: HOSTILE.osc8!, kubernetesVersion: HOSTILE.newline!, kernel: HOSTILE.script! };
    for (const step of run.suites[0]!.steps) for (const cell of step.cells) Object.assign(cell, { pass: false, agreesWithModel: false });
    run.suites[0]!.pass = false;
    run.pass = false;
    const other = path.join(dir, 'other.json');
    await writeFile(other, JSON.stringify(run));
    const [md, page, out] = ['compare.md', 'compare.html', 'compare.json'].map((f) => path.join(dir, f));
    const r = await runInProcess('compare', other, '--baseline', results, '--markdown', md!, '--html', page!, '--json', out!);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain(`${HOSTILE_STRINGS.length} regression(s)`);
    expect(terminalProblems(r.stdout)).toEqual([]);
    // Markdown: a header, a separator and one row per regression, each with as many cells as the header.
    const table = (await readFile(md!, 'utf8')).trimEnd().split('\n');
    expect(table).toHaveLength(2 + HOSTILE_STRINGS.length);
    const cells = (row: string) => row.replace(/\\[\s\S]/g, '').split('|').length;
    expect(new Set(table.map(cells))).toEqual(new Set([cells(table[0]!)]));
    for (const row of table.filter((_, i) => i !== 1))
      expect(
        markdownProblems(
          row
            .replace(/^\| | \|$/g, '')
            .replaceAll(' | ', ' ')
            .replaceAll('**', ''),
        ),
        row,
      ).toEqual([]);
    expect(htmlProblems(await readFile(page!, 'utf8'))).toEqual([]);
    const text = await readFile(out!, 'utf8');
    expect(jsonProblems(text)).toEqual([]);
    expect((JSON.parse(text) as { runs: { ciliumVersion?: string }[] }).runs[1]!.ciliumVersion).toBe(HOSTILE.osc8);
  });

  it("the e2e workflow's compare job: annotations, warnings and the step summary", async () => {
    const runs = path.join(dir, 'runs');
    const run = JSON.parse(await readFile(results, 'utf8')) as ResultsFile;
    run.environment = { ...run.environment, backend: 'kind', ciliumVersion: `1.20.2${HOSTILE.workflow}`, kubernetesVersion: 'v1.36.1' };
    const cell = run.suites[0]!.steps[0]!.cells[0]!;
    Object.assign(cell, { pass: false, agreesWithModel: false, observed: 'connect-timeout', claim: `seeds/${HOSTILE.commaColon}:3`, notRunnable: HOSTILE.percent });
    run.suites[0]!.pass = false;
    run.pass = false;
    await writeFile(path.join(dir, 'leg.json'), JSON.stringify(run));
    const leg = path.join(runs, 'cilium-1.20-k8s-v1.36');
    await execa('mkdir', ['-p', leg]);
    await writeFile(path.join(leg, 'e2e-results.json'), JSON.stringify(run));
    const summary = path.join(dir, 'summary.md');
    const r = await execa(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'scripts/compare-e2e.ts'), '--runs', runs, '--baseline', path.join(dir, 'none'), '--model', results, '--summary', summary, '--html', path.join(dir, 'e2e.html')],
      { cwd: REPO, reject: false, env: { GITHUB_STEP_SUMMARY: '' } },
    );
    expect(r.exitCode, r.stderr).toBe(1);
    const commands = r.stdout.split('\n').filter(Boolean);
    // Every line of stdout is one workflow command of the job's own: two error annotations of the cell (suite and
    // tutorial line), a warning for the cell not run, one error per leg of the matrix that uploaded nothing.
    for (const line of commands) expect(line).toMatch(/^::(error|warning) [a-z]+=[^:]*(,[a-z]+=[^,:]*)*::[^\r\n]*$/);
    expect(commands.filter((l) => l.startsWith('::error file='))).toHaveLength(2);
    expect(commands.filter((l) => l.startsWith('::warning '))).toHaveLength(1);
    for (const line of commands) expect(terminalProblems(unescapeWorkflow(line))).toEqual([]);
    const text = await readFile(summary, 'utf8');
    expect(terminalProblems(text)).toEqual([]);
    expect(text.split('\n').filter((l) => l.startsWith('#'))).toEqual(['## netpol-e2e across versions', `### ${markdown(`cilium 1.20.2${HOSTILE.workflow} / k8s v1.36.1`)} against the model: 1 regression(s)`]);
    expect(htmlProblems(await readFile(path.join(dir, 'e2e.html'), 'utf8'))).toEqual([]);
  });

  it('the vitest suites project: test names and the JUnit file', async () => {
    const junit = path.join(dir, 'junit.xml');
    const matrices = path.join(dir, 'matrices.md');
    const r = await execa('npx', ['vitest', 'run', '--project', 'suites', '--reporter', 'junit', '--outputFile.junit', junit], {
      cwd: REPO,
      reject: false,
      env: { NETPOL_E2E_SUITES: dir, NETPOL_E2E_SUMMARY: matrices, NETPOL_E2E_BACKEND: 'model' },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const xml = await readFile(junit, 'utf8');
    expect(xmlProblem(xml)).toBeUndefined();
    expect(terminalProblems(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(STEPS + 1);
    expect(xml).not.toMatch(/<(script|img|evil)/);
    // The matrices for the step summary, which the workflow fences as code: no line of a name's own can end the fence.
    const text = await readFile(matrices, 'utf8');
    expect(terminalProblems(text)).toEqual([]);
    expect(text.split('\n').filter((l) => l.startsWith('```'))).toEqual([]);
  });
});

describe('docs check reports', () => {
  const check = (): DocsCheck => ({
    target: HOSTILE.heading!,
    backend: 'model',
    noClaims: false,
    claims: HOSTILE_STRINGS.map((s, i) => ({
      file: HOSTILE.link!,
      line: i + 1,
      command: s,
      commandFile: s,
      commandLine: i + 1,
      output: s,
      claimed: s,
      observed: s,
      verdict: i % 2 ? 'contradicted' : 'not-checkable',
      why: s,
      explanation: [s],
    })),
    findings: HOSTILE_STRINGS.map((s) => ({ file: s, line: 1, severity: 'lint', rule: HOSTILE.emphasis!, message: s })),
    unclaimed: [{ file: HOSTILE.rlo!, line: 1, command: HOSTILE.osc52! }],
    pass: false,
  });

  it('the terminal listing, the findings of docs extract, and the step summary', () => {
    expect(terminalProblems(renderCheck(check()))).toEqual([]);
    expect(terminalProblems(check().findings.map(findingLine).join('\n'))).toEqual([]);
    const summary = renderMarkdown(check());
    expect(terminalProblems(summary)).toEqual([]);
    const lines = summary.split('\n');
    // One heading (the tutorial's), one row per claim, one list item per finding: nothing forged.
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('|'))).toHaveLength(2 + HOSTILE_STRINGS.length);
    expect(lines.filter((l) => l.startsWith('- '))).toHaveLength(HOSTILE_STRINGS.length);
    for (const line of lines.filter((l) => l.startsWith('| ') && !l.startsWith('| verdict'))) {
      expect(line.replace(/\\[\s\S]/g, '').split('|')).toHaveLength(8);
      expect(markdownProblems(line.replace(/^\| | \|$/g, '').replaceAll(' | ', ' ')), line).toEqual([]);
    }
  });

  it('the annotations: one workflow command per contradicted claim and per lint finding, nothing broken out of', () => {
    const lines = checkAnnotations(check());
    // Every other claim is contradicted (the rest not checkable, which fails nothing); every finding is lint.
    expect(lines).toHaveLength(Math.floor(HOSTILE_STRINGS.length / 2) + HOSTILE_STRINGS.length);
    for (const line of lines) {
      expect(line).toMatch(/^::error file=[^:,\r\n]*,line=\d+,title=[^:,\r\n]*::[^\r\n]*$/);
      expect(terminalProblems(unescapeWorkflow(line))).toEqual([]);
    }
  });
});
