// How a container's command line is read for the catalog: the image's entrypoint and cmd unless the manifest
// replaces them (Kubernetes: command replaces ENTRYPOINT, args replace CMD; with command alone CMD is dropped),
// flags in Go's flag/pflag forms, and literal environment values.
import type { ContainerRun } from './types.ts';

/** The argv the container starts with, given the image's ENTRYPOINT and CMD. */
export function effectiveArgv(run: ContainerRun, entrypoint: readonly string[], cmd: readonly string[]): string[] {
  if (run.command) return [...run.command, ...(run.args ?? [])];
  return [...entrypoint, ...(run.args ?? cmd)];
}

/** A flag's value: `--name=value`, `--name value`, `-name=value` or `-name value` (the last one given wins). */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  argv.forEach((word, i) => {
    const bare = word.replace(/^--?/, '');
    if (bare === word) return;
    if (bare.startsWith(`${name}=`)) value = bare.slice(name.length + 1);
    else if (bare === name && i + 1 < argv.length) value = argv[i + 1];
  });
  return value;
}

/** A port number from a flag or variable, or undefined when it is not a plain port. */
export function portOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Why a variable the server reads cannot be known, if it cannot. */
export function unknownVariable(run: ContainerRun, name: string): string | undefined {
  return run.unknownEnv.has(name) ? `${name} is set from a reference (valueFrom), not a value` : undefined;
}
