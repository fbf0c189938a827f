// `netpol-e2e init [DIR]`: a first suite (the built-in demo app and two policy files), an example tutorial with its
// docs config, and a GitHub workflow that runs both, copied from the package's templates/init/. Each passes as
// written (test/cli/init.test.ts runs them). Files that exist are not overwritten unless --force.
import { lstatSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input/input-error.ts';
import { PACKAGE_ROOT } from '../input/own-package.ts';

export const INIT_TEMPLATES = path.join(PACKAGE_ROOT, 'templates', 'init');

/** Where a template lands: the same path, but under .github/ for github/ (a dot folder would be a hidden template). */
const targetOf = (template: string) => template.replace(/^github\//, '.github/');

async function templates(dir = INIT_TEMPLATES, under = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = path.posix.join(under, entry.name);
    if (entry.isDirectory()) found.push(...(await templates(path.join(dir, entry.name), relative)));
    else found.push(relative);
  }
  return found.sort();
}

/** Writes the files into `dir`; returns their paths as written, relative to `dir`. */
export async function initFiles(dir: string, force: boolean): Promise<string[]> {
  const files = (await templates()).map((t) => ({ template: path.join(INIT_TEMPLATES, t), to: targetOf(t) }));
  // lstat: a symbolic link there, even a dangling one, is the user's, not a path to write through.
  const existing = files.filter((f) => lstatSync(path.join(dir, f.to), { throwIfNoEntry: false })).map((f) => f.to);
  if (existing.length && !force) {
    throw new InputError(path.resolve(dir), undefined, `would overwrite ${existing.join(', ')}: move them away, or give --force to overwrite them`);
  }
  for (const { template, to } of files) {
    await mkdir(path.dirname(path.join(dir, to)), { recursive: true });
    await copyFile(template, path.join(dir, to));
  }
  return files.map((f) => f.to);
}

export async function initCommand(dir: string, options: { force?: boolean }): Promise<number> {
  const written = await initFiles(dir, options.force ?? false);
  for (const file of written) console.log(`wrote ${path.join(dir, file)}`);
  console.log(`\nnext: npx netpol-e2e run ${path.join(dir, 'netpol')}   and   npx netpol-e2e docs check ${path.join(dir, 'docs/netpol-e2e-example.md')}`);
  return 0;
}
