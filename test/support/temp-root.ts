// Once per test run: every temporary folder the tests and the programs they start make (fixtures, stand-in shims,
// results) goes under one folder of this run, removed at its end, instead of piling up in the system's one (a run
// left some 300 folders there). Sticky and open to all, as /tmp is, since some tests run the CLI as nobody.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-test-run-'));
  await chmod(root, 0o1777);
  // os.tmpdir() reads TMPDIR at each call, in this process, in the test workers started after it and in every child.
  process.env.TMPDIR = root;
  return () => rm(root, { recursive: true, force: true });
}
