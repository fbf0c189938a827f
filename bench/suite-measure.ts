// One suite benchmark point, in a process of its own: a generated suite with `pods`² − `pods` cells in one step,
// through what `netpol-e2e run --json` does on the model (load, predict, walk and run, terminal report, results
// file), each stage timed; prints one JSON line. The time from the suite file to the results file is what the
// 10 s target of `npm run bench` (100,000 cells) is about; starting Node and loading the modules are not in it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelBackend } from '../src/backends/model/model-backend.ts';
import { writeResults } from '../src/report/json.ts';
import { renderSuite } from '../src/report/terminal.ts';
import { predictSuite } from '../src/runner/predict.ts';
import { runSuite } from '../src/runner/run-suite.ts';
import { loadSuite } from '../src/suite/load.ts';
import { writeGeneratedSuite } from './generate-suite.ts';

const pods = Number(process.argv[2]);
const dir = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-bench-'));
try {
  const file = await writeGeneratedSuite(dir, pods);
  // Wall time, and CPU time (user + system): on a machine shared with other work the CPU time is what this costs.
  const times: Record<string, number> = {};
  const started = { wall: performance.now(), cpu: process.cpuUsage() };
  let last = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    times[stage] = now - last;
    last = now;
  };
  const suite = await loadSuite(file);
  lap('loadMs');
  const predictions = await predictSuite(suite);
  lap('predictMs');
  const result = await runSuite(suite, new ModelBackend(suite.world), predictions);
  lap('runMs');
  const report = renderSuite(result);
  lap('reportMs');
  await writeResults(path.join(dir, 'results.json'), { backend: 'model', netpolE2e: { version: 'bench' } }, [result]);
  lap('jsonMs');
  const cpu = process.cpuUsage(started.cpu);
  const totalMs = performance.now() - started.wall;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ pods, cells: result.counts.cells, pass: result.pass, reportBytes: report.length, ...times, totalMs, cpuMs, peakBytes }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
