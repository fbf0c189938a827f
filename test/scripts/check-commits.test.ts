// npm run commits (scripts/check-commits.ts) on a throw-away repository: subjects under 72 characters, a body after a
// blank line (merges apart), from the given commit on and not before it; a range it cannot read is exit 2. (.ci/run
// and ci.yml run it on this repository's own history.)
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { fixture, REPO } from '../support/fixture.ts';

const SCRIPT = path.join(REPO, 'scripts/check-commits.ts');
const BODY = '\n\nWhat changed, and why.';

async function repository(): Promise<{ dir: string; git: (...args: string[]) => Promise<string>; commit: (message: string) => Promise<string> }> {
  const dir = await fixture({});
  const env = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
  const git = async (...args: string[]) => (await execa('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env })).stdout;
  await git('init', '-q');
  const commit = async (message: string) => {
    await git('commit', '-q', '--allow-empty', '--cleanup=verbatim', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { dir, git, commit };
}

// tsx as the repository has it: the throw-away repository has no node_modules.
const check = (dir: string, ...args: string[]) => execa(process.execPath, ['--import', import.meta.resolve('tsx'), SCRIPT, ...args], { cwd: dir, reject: false });

describe('check-commits', () => {
  it('names each commit since the given one with a long subject, no body or no blank line after the subject', async () => {
    const { dir, git, commit } = await repository();
    await commit(`Before the habit: a subject of well over seventy-two characters and no body at all`);
    const first = await commit(`${'y'.repeat(71)}${BODY}`);
    await commit(`${'x'.repeat(72)}${BODY}`);
    await commit('A subject and nothing else');
    await commit('A subject\nwith a second line at once');
    await commit(`Fine: a short subject${BODY}`);
    await git('checkout', '-q', '-b', 'side');
    await commit(`On a side branch${BODY}`);
    await git('checkout', '-q', 'main');
    // As GitHub checks a pull request out: a merge whose subject is two hashes long, and no body.
    await git('merge', '-q', '--no-ff', '-m', `Merge ${'a'.repeat(40)} into ${'b'.repeat(40)}`, 'side');

    const { exitCode, stdout } = await check(dir, '--since', first.slice(0, 7));
    const findings = stdout.split('\n').slice(0, -1);
    expect(findings).toEqual([
      expect.stringMatching(/^[0-9a-f]{7} A subject: no blank line after the subject$/),
      expect.stringMatching(/^[0-9a-f]{7} A subject and nothing else: no body: say what changed and why$/),
      expect.stringMatching(/^[0-9a-f]{7} x{72}: subject of 72 characters \(under 72: the detail goes in the body\)$/),
    ]);
    expect(stdout).toMatch(/commits: 3 finding\(s\) in 7 commit\(s\) since [0-9a-f]{7}$/);
    expect(exitCode).toBe(1);
  });

  it('passes a history whose every commit has a short subject and a body', async () => {
    const { dir, commit } = await repository();
    const first = await commit(`First${BODY}`);
    await commit(`Über-long? No: ${'é'.repeat(50)}${BODY}`);
    const { exitCode, stdout } = await check(dir, '--since', first);
    expect(stdout).toBe(`commits: no findings in 2 commit(s) since ${first}`);
    expect(exitCode).toBe(0);
  });

  it('exits 2 naming the commit it cannot find (a shallow clone), and on arguments it does not take', async () => {
    const { dir, commit } = await repository();
    await commit(`First${BODY}`);
    const missing = await check(dir, '--since', '4cd2b98');
    expect(missing.stderr).toMatch(/^check-commits: 4cd2b98: no such commit here \(a shallow clone\? fetch the history/);
    expect(missing.exitCode).toBe(2);
    const usage = await check(dir, '--from', 'HEAD');
    expect(usage.stderr).toBe('usage: check-commits.ts [--since REV]');
    expect(usage.exitCode).toBe(2);
  });
});
