// Runs the real netpol-e2e binary, as a user would after npm ci.
import path from 'node:path';
import { execa } from 'execa';
import { REPO } from './fixture.ts';

export async function cli(...args: string[]) {
  return cliWith({}, ...args);
}

export async function cliWith(env: Record<string, string>, ...args: string[]) {
  return execa(process.execPath, [path.join(REPO, 'bin/netpol-e2e.js'), ...args], { cwd: REPO, reject: false, env: { NO_COLOR: '1', ...env } });
}
