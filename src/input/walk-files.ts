// The files under a folder, walked without following links to folders: a link back up (`up -> ..`) or a loop would
// otherwise walk the same tree again and again (Node's recursive readdir follows them). A link to a file counts,
// and each file is listed once, however many names lead to it.
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Paths (joined to `folder`, sorted) of the regular files under it whose names pass `wanted`. */
export async function filesUnder(folder: string, wanted: (name: string) => boolean): Promise<string[]> {
  const found = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    // In name order, so that of two names for one file the first in sorted order is kept.
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile())) && wanted(entry.name)) {
        const real = await realpath(full);
        if (!found.has(real)) found.set(real, full);
      }
    }
  };
  await walk(folder);
  return [...found.values()].sort();
}
