// What the machine that runs the kind nodes must allow: kind's known issues ask multi-node clusters for more inotify
// watches and instances than many distributions give ("Pod errors due to too many open files",
// https://kind.sigs.k8s.io/docs/user/known-issues/#pod-errors-due-to-too-many-open-files). Read and set with sysctl
// (procps), as the e2e workflow does before cluster:up.
import { run } from './run.ts';

export const INOTIFY = { 'fs.inotify.max_user_watches': 524288, 'fs.inotify.max_user_instances': 512 } as const;

/** The `key=value` settings below kind's asks, from `sysctl -n` of the INOTIFY keys (one value per line, in order). */
export function inotifyShortfall(values: string): string[] {
  const have = values.trim().split('\n').map(Number);
  return Object.entries(INOTIFY).flatMap(([key, want], i) => (Number.isFinite(have[i]) && have[i]! >= want ? [] : [`${key}=${want}`]));
}

/**
 * Raises the inotify limits where they are lower than kind asks: as root it sets them, otherwise it says how. Only
 * on Linux: elsewhere the nodes run in Docker's own VM, whose limits sysctl here cannot read.
 */
export async function checkInotify(platform = process.platform, uid = process.getuid?.()): Promise<string> {
  if (platform !== 'linux') return "inotify limits: not checked (the nodes run in Docker's VM)";
  const read = await run('sysctl', ['-n', ...Object.keys(INOTIFY)], { nothrow: true, quiet: true });
  if (read.exitCode !== 0) return `inotify limits: could not read them (${read.stderr.trim()})`;
  const low = inotifyShortfall(read.stdout);
  if (low.length === 0) return 'inotify limits: as kind asks';
  if (uid === 0) {
    await run('sysctl', ['-w', ...low]);
    return `inotify limits: raised (${low.join(', ')})`;
  }
  return `warning: inotify limits below what kind asks for multi-node clusters (pods may fail with "too many open files"): run sudo sysctl -w ${low.join(' ')}`;
}
