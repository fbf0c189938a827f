// Suite discovery walks folders without following links to folders, and names each file once. What it cannot read
// or list is bad input naming the path (issue 23), never an internal error or a suite silently left out.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverSuites } from '../../src/suite/discover.ts';
import { unprivileged } from '../support/cli.ts';
import { fixture, suiteWith } from '../support/fixture.ts';

const refusal = (paths: string[]) =>
  discoverSuites(paths).then(
    () => 'found',
    (e: Error) => e.message,
  );

describe('discoverSuites', () => {
  it('does not follow a link back up or a loop of links, and runs each file once', async () => {
    const dir = await fixture({ 'a.suite.yaml': 'x', 'sub/b.suite.yaml': 'x', 'sub/notes.md': 'x' });
    // up -> .. (a link to the parent), and two links to each other's folders: Node's recursive readdir follows both.
    await symlink('..', path.join(dir, 'sub/up'));
    await mkdir(path.join(dir, 'loop'));
    await symlink(path.join(dir, 'loop'), path.join(dir, 'loop/again'));
    // A link to a file counts, once for the file it names.
    await symlink(path.join(dir, 'a.suite.yaml'), path.join(dir, 'sub/same.suite.yaml'));
    await writeFile(path.join(dir, 'c.suite.yaml'), 'x');
    await symlink(path.join(dir, 'c.suite.yaml'), path.join(dir, 'sub/only-link-to-c.suite.yaml'));
    const files = (await discoverSuites([dir, path.join(dir, 'a.suite.yaml')])).map((f) => path.relative(dir, f));
    expect(files).toEqual(['a.suite.yaml', 'c.suite.yaml', 'sub/b.suite.yaml']);
  });

  it('a FIFO or /dev/null named as the suite path is said to be one, not listed as a folder (ENOTDIR)', async () => {
    const dir = await fixture({});
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    expect(await refusal([path.join(dir, 'pipe')])).toBe(`${path.join(dir, 'pipe')}: is a named pipe, not a suite file or a folder of suites`);
    expect(await refusal(['/dev/null'])).toBe('/dev/null: is a character device, not a suite file or a folder of suites');
  });

  it('a dangling *.suite.yaml link, or a FIFO by that name, beside a valid suite is named, not skipped', async () => {
    const dir = await fixture({ 'a.suite.yaml': 'x' });
    await symlink(path.join(dir, 'gone.yaml'), path.join(dir, 'b.suite.yaml'));
    expect(await refusal([dir])).toBe(`${path.join(dir, 'b.suite.yaml')}: is a symbolic link to ${path.join(dir, 'gone.yaml')}, which does not exist`);
    const other = await fixture({ 'a.suite.yaml': 'x' });
    execFileSync('mkfifo', [path.join(other, 'c.suite.yaml')]);
    expect(await refusal([other])).toBe(`${path.join(other, 'c.suite.yaml')}: is a named pipe, not a file to read`);
    // A dangling link by any other name is none of the run's business.
    const third = await fixture({ 'a.suite.yaml': 'x' });
    await symlink(path.join(third, 'gone'), path.join(third, 'notes.md'));
    expect(await refusal([third])).toBe('found');
  });

  it('an unreadable subfolder is exit 2 with its path, as root too (run as nobody)', async () => {
    const dir = await fixture({ 'a.suite.yaml': suiteWith('  - name: a\n    expect: {}\n'), 'locked/b.suite.yaml': 'x' });
    await chmod(dir, 0o755);
    await chmod(path.join(dir, 'a.suite.yaml'), 0o644);
    await chmod(path.join(dir, 'locked'), 0o000);
    const run = await unprivileged('run', dir);
    expect(run.stderr).toMatch(new RegExp(`${path.join(dir, 'locked')}: is a folder that cannot be listed: permission denied$`, 'm'));
    expect(run.exitCode).toBe(2);
  });
});
