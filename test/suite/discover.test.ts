// Suite discovery walks folders without following links to folders, and names each file once.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverSuites } from '../../src/suite/discover.ts';
import { fixture } from '../support/fixture.ts';

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
});
