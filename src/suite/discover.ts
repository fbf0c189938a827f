// Which suite files a command line names: files as given, folders searched for *.suite.yaml.
import { realpath, stat } from 'node:fs/promises';
import { InputError } from '../input/input-error.ts';
import { kindOf, reasonOf } from '../input/read-text.ts';
import { filesUnder } from '../input/find-files.ts';

/** Each suite file once, in the order named (a folder's files sorted), however often a path names it. */
export async function discoverSuites(paths: string[]): Promise<string[]> {
  const files = new Map<string, string>();
  for (const p of paths) {
    const info = await stat(p).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(p, undefined, e.code === 'ENOENT' ? 'no such file or folder' : reasonOf(e));
    });
    // A FIFO or /dev/null is neither: listing it as a folder would end in ENOTDIR, an internal error.
    if (!info.isFile() && !info.isDirectory()) throw new InputError(p, undefined, `is ${kindOf(info) ?? 'not a regular file'}, not a suite file or a folder of suites`);
    const found = info.isFile() ? [p] : await filesUnder(p, (name) => name.endsWith('.suite.yaml'));
    if (found.length === 0) throw new InputError(p, undefined, 'holds no *.suite.yaml files');
    for (const file of found) {
      const real = await realpath(file);
      if (!files.has(real)) files.set(real, file);
    }
  }
  return [...files.values()];
}
