// The one place an app name (`apps: [demo]` in a suite or a docs config) becomes a manifest file: the suite's own
// <manifestDir>/apps/NAME.yaml when it has one, else the copy this package ships in manifests/apps/, so that a
// suite in another repository can name the built-in apps.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../input/input-error.ts';
import { PACKAGE_ROOT } from '../input/own-package.ts';
import { isNotFound, readFailure, readTextFile } from '../input/read-text.ts';

export const BUILT_IN_APPS_DIR = path.join(PACKAGE_ROOT, 'manifests', 'apps');

/** Which file an app was read from, for the report. */
export interface AppSource {
  name: string;
  /** As the report shows it: relative to the working folder. */
  file: string;
  /** The package's own copy (also when the suite's manifestDir is the package's manifests folder). */
  builtIn: boolean;
}

export function builtInApps(): string[] {
  return readdirSync(BUILT_IN_APPS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

const shown = (file: string) => path.relative(process.cwd(), file) || file;

/**
 * Reads app `name`: `<manifestDir>/apps/NAME.yaml` through `read` when manifestDir is given and has it, else the
 * built-in copy. Neither is bad input at `from`, listing the built-in names.
 */
export async function readApp(name: string, manifestDir: string | undefined, read: (file: string) => Promise<string>, from: { file: string; line: number; field: string }): Promise<{ source: AppSource; text: string }> {
  const builtIn = path.join(BUILT_IN_APPS_DIR, `${name}.yaml`);
  const local = manifestDir === undefined ? undefined : path.resolve(manifestDir, 'apps', `${name}.yaml`);
  if (local !== undefined) {
    try {
      const text = await read(shown(local));
      return { source: { name, file: shown(local), builtIn: local === builtIn }, text };
    } catch (e) {
      if (!isNotFound(e)) throw readFailure(e, shown(local), from);
    }
  }
  if (builtInApps().includes(name))
    return {
      source: { name, file: shown(builtIn), builtIn: true },
      text: await readTextFile(builtIn).catch((e: unknown) => {
        throw readFailure(e, shown(builtIn), from);
      }),
    };
  const what = local === undefined ? 'not a built-in app' : `neither ${shown(local)} nor a built-in app`;
  throw new InputError(from.file, from.line, `app ${JSON.stringify(name)} is ${what} (built-in: ${builtInApps().join(', ')})`, from.field);
}
