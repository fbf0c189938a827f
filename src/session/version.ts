// netpol-e2e's own version, written in one place (package.json), and, when it runs from a git clone, the commit
// checked out there. The commit is read from the clone's files, not by spawning git, so that `--version` stays cheap;
// only the clone itself counts (an installed package inside someone's repository has no commit of its own).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../input/own-package.ts';
import type { RunEnvironment } from '../results/result.ts';

const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export function ownVersion(root = PACKAGE_ROOT): RunEnvironment['netpolE2e'] {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const commit = gitCommit(root);
  return commit ? { version, commit: commit.slice(0, 12) } : { version };
}

/**
 * The commit HEAD names in the clone at `root` (a worktree too), from a loose ref or packed-refs; undefined outside a
 * clone, on an unborn branch, or where refs are not files (a reftable repository).
 */
export function gitCommit(root: string): string | undefined {
  const gitDir = gitDirOf(path.join(root, '.git'));
  if (!gitDir) return undefined;
  // A worktree's own directory holds its HEAD; branches live in the directory it shares with the main clone.
  const common = path.resolve(gitDir, readText(path.join(gitDir, 'commondir'))?.trim() ?? '.');
  let head = readText(path.join(gitDir, 'HEAD'))?.trim();
  for (let hops = 0; head?.startsWith('ref: ') && hops < 5; hops++) {
    const ref = head.slice('ref: '.length);
    head = readText(path.join(common, ref))?.trim() ?? packedRef(common, ref);
  }
  return head && HASH.test(head) ? head : undefined;
}

/** `.git` is the repository, or in a worktree or submodule a file naming it ("gitdir: PATH"). */
function gitDirOf(dotGit: string): string | undefined {
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
  } catch {
    return undefined;
  }
  const named = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? '')?.[1]?.trim();
  return named ? path.resolve(path.dirname(dotGit), named) : undefined;
}

function packedRef(common: string, ref: string): string | undefined {
  for (const line of readText(path.join(common, 'packed-refs'))?.split('\n') ?? []) {
    const [hash, name] = line.split(' ');
    if (name === ref) return hash;
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
