// Runs the real netpol-e2e binary, as a user would after npm ci.
import path from 'node:path';
import { execa } from 'execa';
import { REPO } from './fixture.ts';

/** The running CLI: await it for its result, or hold it to signal it (Ctrl-C tests). */
export function cli(...args: string[]) {
  return cliWith({}, ...args);
}

export function cliWith(env: Record<string, string>, ...args: string[]) {
  return execa(process.execPath, [path.join(REPO, 'bin/netpol-e2e.js'), ...args], { cwd: REPO, reject: false, env: { NO_COLOR: '1', ...env } });
}
