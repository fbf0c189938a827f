// The CLI's start-up against `node -e 0`, timed in the same run as farm-bench does it: each pair starts the CLI and
// then the yardstick, and the figure is the median of the pairs' ratios, so that other work on a shared machine, which
// slows both commands of a pair alike, moves it little. Then the peak memory of a model run, from inside the CLI
// (bench/max-rss.mjs). The ratios are reported, never a gate: on a shared machine they vary from run to run.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';

const REPO = path.resolve(import.meta.dirname, '..');
const CLI = path.join(REPO, 'bin/netpol-e2e.js');
const SUITE = 'suites/cilium-dns-aware.suite.yaml';
const PAIRS = 11;
const STARTS = [
  { what: 'netpol-e2e --version', args: ['--version'], maxRatio: 4 },
  { what: `netpol-e2e run ${SUITE} (model)`, args: ['run', SUITE], maxRatio: 8 },
];
const PEAK = { runs: 5, maxBytes: 120 * 1024 ** 2 };

/** Milliseconds from spawning `node ARGS` to its exit; its output is thrown away, as a terminal would show it. */
function timed(args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      // A clone with sources newer than the build runs them through tsx: that would be timed instead of the build.
      if (stderr.includes('through tsx')) reject(new Error(`${stderr.trim()}: run npm run build first (npm run bench does)`));
      else if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
      else resolve(performance.now() - started);
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function benchStartup(): Promise<{ peakMet: boolean }> {
  const table = new Table({ head: ['command', 'median (ms)', 'node -e 0 (ms)', 'ratio (median of pairs)', 'min–max ratio', 'target'], style: { head: [] } });
  for (const start of STARTS) {
    const argv = [CLI, ...start.args];
    // One pair of warm-up, not counted: file caches, and the check that the build is what runs.
    await timed(argv);
    await timed(['-e', '0']);
    const cli: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      cli.push(await timed(argv));
      node.push(await timed(['-e', '0']));
    }
    const ratios = cli.map((ms, i) => ms / node[i]!);
    const ratio = median(ratios);
    table.push([
      start.what,
      median(cli).toFixed(0),
      median(node).toFixed(0),
      `${ratio.toFixed(2)}×`,
      `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
      `≤ ${start.maxRatio}×: ${ratio <= start.maxRatio ? 'met' : 'NOT met'}`,
    ]);
  }
  console.log(`CLI start-up against node -e 0, ${PAIRS} pairs started in turn:`);
  console.log(table.toString());

  const dir = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-bench-'));
  const peaks: number[] = [];
  try {
    for (let i = 0; i < PEAK.runs; i++) {
      const file = path.join(dir, `max-rss-${i}`);
      await timed(['--import', path.join(REPO, 'bench/max-rss.mjs'), CLI, 'run', SUITE], { NETPOL_E2E_MAX_RSS: file });
      peaks.push(Number(await readFile(file, 'utf8')));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const peak = Math.max(...peaks);
  const peakMet = peak <= PEAK.maxBytes;
  const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
  console.log(`target: peak memory of netpol-e2e run ${SUITE} on the model, the highest of ${PEAK.runs} runs: ${mib(peak)} MiB (≤ ${mib(PEAK.maxBytes)} MiB): ${peakMet ? 'met' : 'NOT met'}`);
  return { peakMet };
}
