#!/usr/bin/env node
// Runs the build (dist/, `npm run build`): an installed package carries only that. A clone runs it too when it is
// newer than every source (npm ci, npm start and npm test build it); where a source was changed since, the clone runs
// its sources through tsx instead, so that what runs is never an old build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * In a clone (src/ beside dist/), whether a source file, or the compiler's options, changed after the last build.
 * Files only: a folder's time changes with an editor's swap file too, which tsc rightly ignores.
 */
function buildIsStale() {
  const built = modified(path.join(root, 'dist/.tsbuildinfo'));
  const sources = readdirSync(path.join(root, 'src'), { recursive: true }).map((f) => path.join(root, 'src', f));
  return [...sources, path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json')].some((f) => modified(f) > built);
}

/** When the file was last written; never for a folder or a file that is not there. */
function modified(file) {
  try {
    const stat = statSync(file);
    return stat.isFile() ? stat.mtimeMs : -Infinity;
  } catch {
    return -Infinity;
  }
}

const clone = existsSync(path.join(root, 'src'));
if (clone && buildIsStale()) {
  process.stderr.write('netpol-e2e: src/ changed since the last build (npm run build): running the sources through tsx\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/cli/main.js');
}
