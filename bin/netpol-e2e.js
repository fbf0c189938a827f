#!/usr/bin/env node
// Runs the build (dist/, `npm run build`): an installed package carries only that. A clone runs it too when it is
// newer than every source (npm ci, npm start and npm test build it); where a source was changed since, the clone runs
// its sources through tsx instead, so that what runs is never an old build.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** In a clone (src/ beside dist/), whether some source, or the compiler's options, changed after the last build. */
function buildIsStale() {
  const built = mtime(path.join(root, 'dist/.tsbuildinfo'));
  const sources = readdirSync(path.join(root, 'src'), { recursive: true }).map((f) => path.join(root, 'src', f));
  return [...sources, path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json')].some((f) => mtime(f) > built);
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

const clone = mtime(path.join(root, 'src')) > -Infinity;
if (clone && buildIsStale()) {
  process.stderr.write('netpol-e2e: src/ changed since the last build (npm run build): running the sources through tsx\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/cli/main.js');
}
