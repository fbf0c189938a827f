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

/**
 * The CLI as a user for whom a mode-000 file is unreadable: root reads every file, so as root it runs
 * as nobody through util-linux's setpriv; the repository has to be readable to others for that, as a clone is.
 */
export function unprivileged(...args: string[]) {
  if (process.getuid?.() !== 0) return cli(...args);
  return execa('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, path.join(REPO, 'bin/netpol-e2e.js'), ...args], { cwd: REPO, reject: false, env: { NO_COLOR: '1', PATH: process.env.PATH } });
}
