// `netpol-e2e init [DIR]`: a first suite (the built-in demo app and two policy files), an example tutorial with its
// docs config, and a GitHub workflow that runs both, copied from the package's templates/init/. Each passes as
// written (test/cli/init.test.ts runs them). Files that exist are not overwritten unless --force.
import { lstatSync, statSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input/input-error.ts';
import { PACKAGE_ROOT } from '../input/own-package.ts';
import { writeLine, type Io } from '../report/io.ts';

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

/**
 * What of the user's is where `file` would go: the file itself (lstat: a symbolic link, even a dangling one, counts),
 * or what --force cannot replace either: a folder where the file goes, a file where one of its folders goes.
 */
function inTheWay(dir: string, file: string): { path: string; blocks?: string } | undefined {
  const parts = file.split('/');
  for (let i = 0; i < parts.length; i++) {
    const at = parts.slice(0, i + 1).join('/');
    const info = lstatSync(path.join(dir, at), { throwIfNoEntry: false });
    if (!info) return undefined;
    if (i === parts.length - 1) return info.isDirectory() ? { path: at, blocks: `${at}: a folder where init writes a file` } : { path: at };
    if (!statSync(path.join(dir, at), { throwIfNoEntry: false })?.isDirectory()) return { path: at, blocks: `${at}: a file where init writes a folder` };
  }
  return undefined;
}

/** Writes the files into `dir`; returns their paths as written, relative to `dir`. */
export async function initFiles(dir: string, force: boolean): Promise<string[]> {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info && !info.isDirectory()) throw new InputError(dir, undefined, 'is not a folder to write into');
  const files = (await templates()).map((t) => ({ template: path.join(INIT_TEMPLATES, t), to: targetOf(t) }));
  const found = files.map((f) => inTheWay(dir, f.to)).filter((f) => f !== undefined);
  const blocking = [...new Set(found.flatMap((f) => (f.blocks ? [f.blocks] : [])))];
  if (blocking.length) throw new InputError(path.resolve(dir), undefined, `${blocking.join('; ')}: move it away`);
  if (found.length && !force) {
    throw new InputError(path.resolve(dir), undefined, `would overwrite ${found.map((f) => f.path).join(', ')}: move them away, or give --force to overwrite them`);
  }
  for (const { template, to } of files) {
    await mkdir(path.dirname(path.join(dir, to)), { recursive: true });
    // Replaced, not written through: --force on a symbolic link replaces the link, never the file it points at.
    await rm(path.join(dir, to), { force: true });
    await copyFile(template, path.join(dir, to));
  }
  return files.map((f) => f.to);
}

export async function initCommand(dir: string, options: { force?: boolean }, io: Io): Promise<number> {
  const written = await initFiles(dir, options.force ?? false);
  for (const file of written) writeLine(io.stdout, `wrote ${path.join(dir, file)}`);
  writeLine(io.stdout, `\nnext: npx netpol-e2e run ${path.join(dir, 'netpol')}   and   npx netpol-e2e docs check ${path.join(dir, 'docs/netpol-e2e-example.md')}`);
  return 0;
}
