// The files under a folder, walked without following links to folders: a link back up (`up -> ..`) or a loop would
// otherwise walk the same tree again and again (Node's recursive readdir follows them). A link to a file counts,
// and each file is listed once, however many names lead to it. A wanted name that leads nowhere (a dangling link)
// or to no folder or regular file, and a folder that cannot be listed, are bad input: skipping them silently would
// run less than was asked for and still say that everything passed.
import type { Dirent } from 'node:fs';
import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './input-error.ts';
import { kindOf, reasonOf } from './read-text.ts';

/** Whether a wanted entry is a regular file to list (false: a folder, or a link to one, is not followed). */
async function isListedFile(entry: Dirent, full: string): Promise<boolean> {
  if (entry.isFile()) return true;
  if (entry.isDirectory()) return false;
  const info = await stat(full).catch(async (e: NodeJS.ErrnoException) => {
    const target = entry.isSymbolicLink() ? await readlink(full).catch(() => '?') : undefined;
    const why = e.code === 'ENOENT' ? 'which does not exist' : `which ${reasonOf(e)}`;
    throw new InputError(full, undefined, target === undefined ? reasonOf(e) : `is a symbolic link to ${target}, ${why}`);
  });
  if (info.isFile()) return true;
  if (info.isDirectory()) return false;
  throw new InputError(full, undefined, `is ${kindOf(info) ?? 'not a regular file'}, not a file to read`);
}

/** Paths (joined to `folder`, sorted) of the regular files under it whose names pass `wanted`. */
export async function filesUnder(folder: string, wanted: (name: string) => boolean): Promise<string[]> {
  const found = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    // In name order, so that of two names for one file the first in sorted order is kept.
    const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(dir, undefined, `is a folder that cannot be listed: ${reasonOf(e).replace(/^cannot be read: /, '')}`);
    });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (wanted(entry.name) && (await isListedFile(entry, full))) {
        const real = await realpath(full);
        if (!found.has(real)) found.set(real, full);
      }
    }
  };
  await walk(folder);
  return [...found.values()].sort();
}
