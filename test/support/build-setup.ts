// Once per test run: brings the build (dist/) up to date with src/, so that the tests that start the CLI start what
// a user's installed package starts, and start it quickly. tsc builds incrementally: nothing to do takes well under a
// second. Where it reports type errors it has still written every file, and bin/netpol-e2e.js would run the sources
// anyway if it had not: the errors are shown, and `npm run typecheck` is where they fail.
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { REPO } from './fixture.ts';

export default async function setup(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = await execa(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: REPO, reject: false, all: true });
  if (built.exitCode !== 0) console.warn(`npm run build reported problems (the tests go on):\n${built.all}`);
}
