// Which suite files a command line names: files as given, folders searched for *.suite.yaml.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input/input-error.ts';

export async function discoverSuites(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new InputError(p, undefined, 'no such file or folder');
    if (info.isFile()) files.push(p);
    else {
      const entries = await readdir(p, { recursive: true });
      const found = entries.filter((e) => e.endsWith('.suite.yaml')).sort().map((e) => path.join(p, e));
      if (found.length === 0) throw new InputError(p, undefined, 'holds no *.suite.yaml files');
      files.push(...found);
    }
  }
  return files;
}
