// Files a user names are read only when they are regular UTF-8 text files of bounded size (issue 15): a FIFO or
// /dev/zero would never end, a binary or UTF-16 file would parse as garbage.
import { execFileSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES, readTextFile } from '../../src/input/read-text.ts';
import { runInProcess, runInProcessWith, unprivileged } from '../support/cli.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';

const reason = (file: string) =>
  readTextFile(file).then(
    () => 'read',
    (e: Error) => e.message,
  );

describe('reading a named file', () => {
  it('refuses a FIFO, a device and a folder at once, by what they are', async () => {
    const dir = await fixture({});
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    expect(await reason(path.join(dir, 'pipe'))).toBe(`${path.join(dir, 'pipe')}: is a named pipe, not a file to read`);
    expect(await reason('/dev/zero')).toBe('/dev/zero: is a character device, not a file to read');
    expect(await reason(dir)).toBe(`${dir}: is a folder, not a file to read`);
  });

  it('says what is wrong with UTF-16, binary, non-UTF-8 and oversized files; drops a UTF-8 byte order mark', async () => {
    const dir = await fixture({});
    const put = async (name: string, bytes: Buffer) => (await writeFile(path.join(dir, name), bytes), path.join(dir, name));
    expect(await reason(await put('u16', Buffer.from('\ufeffname: x\n', 'utf16le')))).toMatch(/is UTF-16 text: save it as UTF-8$/);
    expect(await reason(await put('bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1])))).toMatch(/is not a text file: it holds NUL bytes/);
    expect(await reason(await put('latin1', Buffer.from('caf\xe9\n', 'latin1')))).toMatch(/is not UTF-8 text: save it as UTF-8$/);
    expect(await reason(await put('big', Buffer.alloc(MAX_TEXT_BYTES + 1, 0x61)))).toMatch(/is 16\.0 MiB, more than the 16 MiB/);
    expect(await readTextFile(await put('bom', Buffer.from('\ufeffname: x\n', 'utf8')))).toBe('name: x\n');
  });

  it('a FIFO named as a manifest is an error at the suite line that names it (exit 2), not a hang', async () => {
    const dir = await fixture({});
    execFileSync('mkfifo', [path.join(dir, 'policy.yaml')]);
    await writeFile(path.join(dir, 'x.suite.yaml'), suiteWith(`  - name: a\n    apply: [${path.join(dir, 'policy.yaml')}]\n`));
    const run = await runInProcess('run', path.join(dir, 'x.suite.yaml'));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/x\.suite\.yaml:6: \S*policy\.yaml: is a named pipe, not a file to read$/m);
  });

  it('an unreadable manifest or suite is said to be one, at the suite line that names it (exit 2)', async () => {
    const dir = await fixture({ 'policy.yaml': 'kind: NetworkPolicy\n', 'locked.suite.yaml': suiteWith('  - name: a\n    cells: {}\n') });
    await writeFile(path.join(dir, 'x.suite.yaml'), suiteWith(`  - name: a\n    apply: [${path.join(dir, 'policy.yaml')}]\n`));
    await chmod(dir, 0o755);
    await chmod(path.join(dir, 'x.suite.yaml'), 0o644);
    await chmod(path.join(dir, 'policy.yaml'), 0o000);
    await chmod(path.join(dir, 'locked.suite.yaml'), 0o000);
    const manifest = await unprivileged('run', path.join(dir, 'x.suite.yaml'));
    expect(manifest.stderr).toMatch(/x\.suite\.yaml:6: \S*policy\.yaml: cannot be read: permission denied$/m);
    expect(manifest.exitCode).toBe(2);
    const suite = await unprivileged('run', path.join(dir, 'locked.suite.yaml'));
    expect(suite.stderr).toMatch(/locked\.suite\.yaml: cannot be read: permission denied$/m);
    expect(suite.exitCode).toBe(2);
  });

  it('a KUBECONFIG that is /dev/zero is refused before client-node reads it', async () => {
    const run = await runInProcessWith({ KUBECONFIG: '/dev/zero' }, 'run', '--backend', 'context', 'suites/cilium-dns-aware.suite.yaml');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/\/dev\/zero: is a character device, not a file to read/);
  });

  it('a tutorial that is a FIFO, and a broken hugo.toml, are said so (the latter with its line)', async () => {
    const dir = await fixture({ 'site/hugo.toml': 'title = "x"\n[params\nversion = 1\n', 'site/content/page.md': '# Page\n\n```shell\nkubectl apply -f https://k8s.io/examples/x.yaml\n```\n' });
    execFileSync('mkfifo', [path.join(dir, 'tutorial.md')]);
    const fifo = await runInProcess('docs', 'check', path.join(dir, 'tutorial.md'));
    expect(fifo.exitCode).toBe(2);
    expect(fifo.stderr).toMatch(/tutorial\.md: is a named pipe, not a file to read/);
    const hugo = await runInProcess('docs', 'extract', path.join(dir, 'site/content'));
    expect(hugo.stderr + hugo.stdout).toMatch(/hugo\.toml:2: error bad-site-config/);
  });
});
void REPO;
