// The e2e workflow's compare job. Every matrix job's results (RUNS/<artifact>/e2e-results.json) go side by side in
// the step summary and an HTML page; each is compared with its own baseline from the last green run of main
// (BASELINE/<artifact>/), or with the model where there is none. Every failed cell becomes a GitHub error annotation
// at the suite line and at the tutorial line of a cited claim (titled a regression where it is one). Exit 1 on a
// regression. With --promote, the runs become the next baseline.
import { appendFile, cp, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { applyKnownToRun, compareMarkdown, compareRuns, readRun, type ComparedCell, type Run } from '../src/report/compare.ts';
import { compareHtml } from '../src/report/html.ts';
import { writeText } from '../src/report/json.ts';
import { knownDivergencesFor } from '../src/suite/known-divergences.ts';
import { REPO } from './cluster/versions.ts';

const options = new Command()
  .option('--runs <dir>', 'one folder per matrix job, each with e2e-results.json', 'results/runs')
  .option('--baseline <dir>', 'the last green run of main, laid out like --runs', 'results/baseline')
  .option('--model <file>', 'the model run of the same suites (written here when absent)', 'results/model.json')
  .option('--summary <file>', 'where the markdown goes (default $GITHUB_STEP_SUMMARY, else stdout)')
  .option('--html <file>', 'also write the cross-version grid as HTML', 'results/compare.html')
  .option('--promote', 'make the runs the next baseline (after a green run of main)')
  .parse()
  .opts<{ runs: string; baseline: string; model: string; summary?: string; html?: string; promote?: boolean }>();

const RESULTS = 'e2e-results.json';

async function jobs(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, RESULTS))).map((d) => d.name).sort();
}

/** `::error file=...,line=...,title=...::message`, escaped as the workflow commands want (% \r \n, and , : in properties). */
function annotation(file: string, line: number, title: string, message: string): string {
  const property = (v: string) => v.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A').replaceAll(':', '%3A').replaceAll(',', '%2C');
  const data = (v: string) => v.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  return `::error file=${property(file)},line=${line},title=${property(title)}::${data(message)}`;
}

/** An error annotation at the suite line of every failed cell, and at the tutorial line of its claim. */
function annotations(run: Run, regressions: readonly ComparedCell[]): string[] {
  const lines: string[] = [];
  for (const suite of run.results.suites) {
    for (const step of suite.steps) {
      for (const cell of step.cells.filter((c) => !c.pass)) {
        const regression = regressions.some((r) => r.suite === suite.name && r.step.startsWith(`${step.index + 1}:`) && r.from === cell.from && r.to === cell.to);
        const title = `${regression ? 'regression' : 'fails'} on ${run.label}`;
        const message = `${suite.name} / step ${step.index + 1}: ${cell.from} -> ${cell.to} observed ${cell.observed}, expected ${cell.expected ?? cell.predicted} (model ${cell.predicted})`;
        lines.push(annotation(path.relative(process.cwd(), suite.file), cell.line, title, message));
        // A claim is "seeds/<file>:<line>", relative to tutorials/.
        const claim = cell.claim && /^(.*):(\d+)$/.exec(cell.claim);
        if (claim) lines.push(annotation(path.join('tutorials', claim[1]!), Number(claim[2]), title, message));
      }
    }
  }
  return lines;
}

async function main(): Promise<number> {
  const names = await jobs(options.runs);
  if (names.length === 0) {
    console.error(`compare-e2e: no ${RESULTS} under ${options.runs}: did the matrix jobs upload their results?`);
    return 2;
  }
  if (options.promote) {
    await rm(options.baseline, { recursive: true, force: true });
    await mkdir(options.baseline, { recursive: true });
    for (const name of names) await cp(path.join(options.runs, name), path.join(options.baseline, name), { recursive: true });
    console.log(`baseline: ${names.join(', ')}`);
    return 0;
  }
  if (!existsSync(options.model)) await execa(process.execPath, [path.join(REPO, 'bin/netpol-e2e.js'), 'run', '--json', options.model], { cwd: REPO, reject: false });
  const known = await knownDivergencesFor(undefined, REPO);
  const load = async (file: string) => {
    const run = await readRun(file);
    applyKnownToRun(run, known);
    return run;
  };
  // The model run is read once, however many runs fall back on it.
  let modelRun: Promise<Run> | undefined;
  const model = () => (modelRun ??= load(options.model));
  const runs = await Promise.all(names.map((n) => load(path.join(options.runs, n, RESULTS))));
  const out: string[] = ['## netpol-e2e across versions', ''];
  if (runs.length > 1) out.push(compareMarkdown(compareRuns(runs)), '');
  let regressions = 0;
  for (const [i, run] of runs.entries()) {
    const own = path.join(options.baseline, names[i]!, RESULTS);
    const baseline = existsSync(own) ? await load(own) : await model();
    const comparison = compareRuns([run], baseline);
    const found = comparison.cells.filter((c) => c.status === 'regression');
    regressions += found.length;
    out.push(`### ${run.label} against ${existsSync(own) ? 'the last green run of main' : 'the model'}: ${found.length} regression(s)`, '', compareMarkdown(comparison), '');
    for (const line of annotations(run, found)) console.log(line);
  }
  // One version alone is put beside the model.
  if (options.html) await writeText(options.html, compareHtml(runs.length > 1 ? compareRuns(runs) : compareRuns(runs, await model())));
  const summary = options.summary ?? process.env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, `${out.join('\n')}\n`);
  else console.log(out.join('\n'));
  return regressions ? 1 : 0;
}

process.exitCode = await main();
