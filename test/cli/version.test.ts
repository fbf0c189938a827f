// netpol-e2e's version and commit: the commit read from the clone's files must be the one git itself names, in
// each way a clone keeps its refs.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { gitCommit, ownVersion } from '../../src/session/version.ts';
import { cli } from '../support/cli.ts';
import { REPO } from '../support/fixture.ts';

let dir: string;
const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd });
const head = async (cwd: string) => (await git(cwd, 'rev-parse', 'HEAD')).stdout.trim();
async function commit(cwd: string, text: string) {
  await writeFile(path.join(cwd, 'file'), text);
  await git(cwd, 'add', 'file');
  await git(cwd, 'commit', '-q', '-m', text);
}

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'netpol-e2e-git-')), 'clone');
  await execa('git', ['init', '-q', '-b', 'main', dir]);
});

describe('the commit of a clone, read from its files', () => {
  it('follows HEAD to a loose branch ref', async () => {
    await commit(dir, 'one');
    expect(gitCommit(dir)).toBe(await head(dir));
  });

  it('finds a branch in packed-refs, beside older loose refs of other branches', async () => {
    await commit(dir, 'one');
    await git(dir, 'branch', 'old');
    await commit(dir, 'two');
    await git(dir, 'pack-refs', '--all');
    expect(gitCommit(dir)).toBe(await head(dir));
    await git(dir, 'checkout', '-q', 'old');
    expect(gitCommit(dir)).toBe(await head(dir));
  });

  it('reads a detached HEAD', async () => {
    await commit(dir, 'one');
    await commit(dir, 'two');
    await git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    expect(gitCommit(dir)).toBe(await head(dir));
  });

  it("reads a worktree's own HEAD and its branch in the shared refs", async () => {
    await commit(dir, 'one');
    const worktree = path.join(path.dirname(dir), 'worktree');
    await git(dir, 'worktree', 'add', '-q', '-b', 'other', worktree);
    await commit(worktree, 'two');
    expect(gitCommit(worktree)).toBe(await head(worktree));
    expect(gitCommit(worktree)).not.toBe(gitCommit(dir));
  });

  it('names none on an unborn branch or outside a clone', async () => {
    expect(gitCommit(dir)).toBeUndefined();
    expect(gitCommit(path.dirname(dir))).toBeUndefined();
  });
});

describe('netpol-e2e --version', () => {
  it("prints package.json's version and the clone's commit, as the results files name them", async () => {
    const { version } = ownVersion();
    expect(version).toBe((await import('../../package.json', { with: { type: 'json' } })).default.version);
    const commit = (await execa('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO })).stdout.trim();
    const r = await cli('--version');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${version} (${commit})`);
  });
});
