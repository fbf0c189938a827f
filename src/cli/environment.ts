// What a run ran on: the cluster as its backend describes it, and netpol-e2e's own version (and git commit, when
// run from a clone), written into every results file and named in the report's first line.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClusterBackend } from '../backends/backend.ts';
import type { RunEnvironment } from '../runner/result.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function ownVersion(): Promise<RunEnvironment['netpolE2e']> {
  const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  // Outside a git clone (an installed package) there is no commit to name.
  const commit = await promisify(execFile)('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, timeout: 5000 }).then(
    (r) => r.stdout.trim(),
    () => undefined,
  );
  return commit ? { version, commit } : { version };
}

export async function runEnvironment(backend: string, cluster?: ClusterBackend): Promise<RunEnvironment> {
  const [netpolE2e, described] = await Promise.all([ownVersion(), cluster?.environment?.() ?? Promise.resolve({})]);
  return { backend, ...described, netpolE2e };
}
