// The e2e workflow's compare job. Every matrix job's results (RUNS/<leg>/e2e-results.json) go side by side in the
// step summary and an HTML page; each is compared with its own baseline from the last green run of main
// (BASELINE/<leg>/), or with the model where there is none. Every failed cell becomes a GitHub error annotation at
// the suite line and at the tutorial line of a cited claim (titled a regression where it is one); cells not run are
// counted by reason, and a leg of the matrix without results is named. Exit 1 on a regression. With --promote, the
// runs become the next baseline.
//
// Layout: each leg uploads results/legs/<leg>/e2e-results.json as the artifact e2e-results-<leg>, and the job
// downloads them with merge-multiple into RUNS, so RUNS/<leg>/e2e-results.json however many legs uploaded one
// (download-artifact unpacks a single artifact straight into its path: src/download-artifact.ts). Also read: a results
// file at the top of RUNS (named by its environment), and RUNS/e2e-results-<leg>/[<leg>/]e2e-results.json as
// downloads without merge-multiple lay them out.
import { appendFile, copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { readResultsFile } from '../src/results/format.ts';
import { InputError } from '../src/input/input-error.ts';
import { compareMarkdown } from '../src/report/compare.ts';
import { applyKnownToRun, compareRuns, readRun, type ComparedCell, type Run } from '../src/results/compare.ts';
import { compareHtml } from '../src/report/html.ts';
import { writeText } from '../src/report/json.ts';
import { notRunnableByReason } from '../src/results/results-file.ts';
import { errorAnnotation, failedCells } from '../src/report/annotations.ts';
import { inert, markdown, workflowData, workflowProperty } from '../src/report/inert.ts';
import { knownDivergencesFor } from '../src/results/known-divergences.ts';
import { readVersions, REPO } from './cluster/versions.ts';

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

/** The runs are not laid out as the workflow lays them out: said, exit 2. */
class LayoutError extends Error {}

/** A leg's name, as the e2e workflow writes it: cilium-<minor>-k8s-<vminor>. */
const legName = (cilium: string, kubernetes: string) => `cilium-${cilium}-k8s-${kubernetes}`;

/** The leg of a results file from its environment (a file found at the top of RUNS carries no folder name). */
async function legOfFile(file: string): Promise<string> {
  const { environment } = await readResultsFile(file);
  const minor = (v?: string) => /^v?\d+\.\d+/.exec(v ?? '')?.[0];
  const [cilium, kubernetes] = [minor(environment?.ciliumVersion), minor(environment?.kubernetesVersion)];
  return cilium && kubernetes ? legName(cilium, kubernetes.startsWith('v') ? kubernetes : `v${kubernetes}`) : 'run';
}

/**
 * Every leg's results file under `dir` (at most two folders deep), by leg: a folder's name, without the artifact's
 * "e2e-results-" prefix; a file at the top, by its environment. Two files for one leg are refused.
 */
async function legs(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const add = (leg: string, file: string) => {
    if (found.has(leg)) throw new LayoutError(`two results files for ${leg}: ${found.get(leg)} and ${file}`);
    found.set(leg, file);
  };
  const walk = async (folder: string, depth: number): Promise<void> => {
    for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isFile() && entry.name === RESULTS) add(folder === dir ? await legOfFile(full) : path.basename(folder).replace(/^e2e-results-/, ''), full);
      else if (entry.isDirectory() && depth < 2) await walk(full, depth + 1);
    }
  };
  if (existsSync(dir)) await walk(dir, 0);
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

/** What `dir` holds, for an error that names it: files and folders two levels deep ("(empty)" for an empty folder). */
async function listing(dir: string): Promise<string> {
  const entries: string[] = [];
  const walk = async (folder: string, prefix: string, depth: number): Promise<void> => {
    const children = await readdir(folder, { withFileTypes: true });
    if (children.length === 0 && prefix) entries.push(`${prefix} (empty)`);
    for (const child of children.sort((a, b) => a.name.localeCompare(b.name))) {
      const name = `${prefix}${child.name}${child.isDirectory() ? '/' : ''}`;
      if (child.isDirectory() && depth < 1) await walk(path.join(folder, child.name), name, depth + 1);
      else entries.push(name);
    }
  };
  await walk(dir, '', 0);
  return entries.length ? entries.join(', ') : 'nothing';
}

/** Why there is nothing to compare, in the words of what was found. */
async function noResults(dir: string): Promise<string> {
  if (!existsSync(dir)) return `${dir} does not exist: no artifact matched e2e-results-* (did every matrix job stop before its tests wrote ${RESULTS}?)`;
  return `no ${RESULTS} under ${dir}, which holds ${await listing(dir)}; each matrix job uploads results/legs/<leg>/${RESULTS} as the artifact e2e-results-<leg>`;
}

/** The "not run" lines of a run (plain text, for a list item and an annotation): cells not run by reason, and against the baseline where it ran more of them. */
function notRunLines(run: Run, baseline: Run | undefined): string[] {
  const now = notRunnableByReason(run.results.suites);
  const before = baseline ? notRunnableByReason(baseline.results.suites) : {};
  return Object.entries(now).map(([reason, count]) => {
    const more = baseline && count > (before[reason] ?? 0) ? ` (${count - (before[reason] ?? 0)} more than the baseline)` : '';
    return `${count} cell(s) not run${more}: ${reason}`;
  });
}

/** An error annotation at the suite line of every failed cell, and at the tutorial line of its claim. */
function annotations(run: Run, regressions: readonly ComparedCell[]): string[] {
  const lines: string[] = [];
  for (const { suite, step, cell, message } of failedCells(run.results.suites)) {
    const regression = regressions.some((r) => r.suite === suite.name && r.file === suite.file && r.step.startsWith(`${step.index + 1}:`) && r.from === cell.from && r.to === cell.to);
    const title = `${regression ? 'regression' : 'fails'} on ${run.label}`;
    lines.push(errorAnnotation(path.relative(process.cwd(), suite.file), cell.line, title, message));
    // A claim is "seeds/<file>:<line>", relative to tutorials/.
    const claim = cell.claim && /^(.*):(\d+)$/.exec(cell.claim);
    if (claim) lines.push(errorAnnotation(path.join('tutorials', claim[1]!), Number(claim[2]), title, message));
  }
  return lines;
}

async function main(): Promise<number> {
  const found = await legs(options.runs);
  const names = [...found.keys()];
  if (names.length === 0) {
    console.error(`compare-e2e: ${inert(await noResults(options.runs))}`);
    return 2;
  }
  if (options.promote) {
    await rm(options.baseline, { recursive: true, force: true });
    for (const [name, file] of found) {
      await mkdir(path.join(options.baseline, name), { recursive: true });
      await copyFile(file, path.join(options.baseline, name, RESULTS));
    }
    console.log(`baseline: ${inert(names.join(', '))}`);
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
  const runs = await Promise.all(names.map((n) => load(found.get(n)!)));
  const baselines = await legs(options.baseline);
  const out: string[] = ['## netpol-e2e across versions', ''];
  // A leg of the matrix that uploaded nothing is named, not left out silently.
  const missing = readVersions()
    .e2eMatrix.map((m) => legName(m.cilium, m.kubernetes))
    .filter((leg) => !found.has(leg));
  if (missing.length) {
    out.push(`**No results from ${markdown(missing.join(', '))}** (found ${markdown(names.join(', '))}).`, '');
    for (const leg of missing) console.log(`::error title=${workflowProperty(`no results from ${leg}`)}::${workflowData(`the matrix job ${leg} uploaded no ${RESULTS}: see its log`)}`);
  }
  if (runs.length > 1) out.push(compareMarkdown(compareRuns(runs)), '');
  let regressions = 0;
  for (const [i, run] of runs.entries()) {
    const own = baselines.get(names[i]!);
    const baseline = own ? await load(own) : await model();
    const comparison = compareRuns([run], baseline);
    const regressed = comparison.cells.filter((c) => c.status === 'regression');
    regressions += regressed.length;
    const notRun = notRunLines(run, own ? baseline : undefined);
    out.push(
      `### ${markdown(run.label)} against ${own ? 'the last green run of main' : 'the model'}: ${regressed.length} regression(s)`,
      '',
      ...(notRun.length ? [...notRun.map((l) => `- ${markdown(l)}`), ''] : []),
      compareMarkdown(comparison),
      '',
    );
    for (const line of annotations(run, regressed)) console.log(line);
    for (const line of notRun) console.log(`::warning title=${workflowProperty(`cells not run on ${run.label}`)}::${workflowData(line)}`);
  }
  // One version alone is put beside the model.
  if (options.html) await writeText(options.html, compareHtml(runs.length > 1 ? compareRuns(runs) : compareRuns(runs, await model())));
  const summary = options.summary ?? process.env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, `${out.join('\n')}\n`);
  else console.log(out.join('\n'));
  return regressions ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  // A results file that is not one (or not whole) is bad input too: the gate says which file and field, exit 2.
  if (!(e instanceof LayoutError || e instanceof InputError)) throw e;
  console.error(`compare-e2e: ${inert(e.message)}`);
  process.exitCode = 2;
}
