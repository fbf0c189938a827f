// The netpol-e2e package's own folder: where its built-in apps and schemas are, whether this module runs from src/
// through tsx (a clone) or compiled under dist/ (an installed package), at whatever depth the build puts it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'netpol-e2e';

/** The nearest folder at or above `from` whose package.json is named netpol-e2e. */
export function packageRootFrom(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (nameIn(dir) === NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json named ${NAME} at or above ${from}`);
  }
}

function nameIn(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name as string | undefined;
  } catch {
    return undefined;
  }
}

export const PACKAGE_ROOT = packageRootFrom(path.dirname(fileURLToPath(import.meta.url)));
