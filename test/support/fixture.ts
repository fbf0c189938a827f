// Writes a throw-away folder of real files (a suite and its manifests) for loader and CLI tests.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

export async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

/** A minimal valid suite using the repository's demo app, with `step` as its only step. */
export function suiteWith(step: string, extra = ''): string {
  return `name: fixture
manifestDir: ${path.join(REPO, 'manifests')}
apps: [demo]
${extra}steps:
${step}`;
}
