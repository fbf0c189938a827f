// What a lab test (test/lab, `npm run test:lab`) needs of this machine beyond Node: root, and real programs. Each lab
// test asks before it runs and, where something is missing, fails naming all of it; it never skips, because a
// skipped lab test would look like a passing one. `npm test` runs none of them (vitest.config.ts).
import path from 'node:path';
import { beforeAll } from 'vitest';
import { findOnPath, isExecutable } from '../../scripts/cluster/run.ts';

export interface Needs {
  root?: boolean;
  /** Programs by name (looked up on the PATH) or by path, where the test runs that very file. */
  programs: readonly string[];
}

/** What this machine lacks of `needs`: "root" and each program it cannot find. */
export async function lacking({ root = false, programs }: Needs): Promise<string[]> {
  const missing = root && process.getuid?.() !== 0 ? ['root'] : [];
  for (const program of programs) {
    const found = path.isAbsolute(program) ? await isExecutable(program) : (await findOnPath(program)) !== null;
    if (!found) missing.push(program);
  }
  return missing;
}

/** For a beforeAll: throws naming everything `what` lacks here, so that every test of the file fails with those words. */
export async function requireLab(what: string, needs: Needs): Promise<void> {
  const missing = await lacking(needs);
  if (missing.length) throw new Error(`${what} cannot run here: it needs ${missing.join(', ')} (npm run test:lab runs as root, with the packages .ci/run installs)`);
}

/**
 * The lab's beforeAll: runs `setUp` (requireLab first, then what the tests share) and returns the check each test
 * calls first. Where a plain beforeAll throws, vitest reports its tests as skipped; here each of them fails, with the
 * set-up's error (what is missing).
 */
export function labSetUp(setUp: () => Promise<void>, timeout?: number): () => void {
  let failure: unknown;
  beforeAll(() => setUp().catch((e: unknown) => void (failure = e)), timeout);
  return () => {
    if (failure) throw failure;
  };
}
