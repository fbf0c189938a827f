// bin/netpol-e2e.js decides what runs: the build, except in a clone whose sources changed after it, where the
// sources run through tsx, so that an old build never answers for new sources.
import { copyFile, mkdir, mkdtemp, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixture.ts';

let root: string;
const BUILT = 1_700_000_000;

/** A package in miniature: the real bin, a build that says "build", sources that say "sources" (TypeScript). */
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-bin-'));
  const files: Record<string, string> = {
    'package.json': '{ "type": "module" }',
    'dist/cli/main.js': "console.log('build');",
    'dist/.tsbuildinfo': '{}',
    'src/cli/main.ts': "const from: string = 'sources';\nconsole.log(from);",
    'src/model/deep/more.ts': 'export {};',
    'tsconfig.json': '{}',
    'tsconfig.build.json': '{}',
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
    await utimes(path.join(root, name), BUILT - 100, BUILT - 100);
  }
  await utimes(path.join(root, 'dist/.tsbuildinfo'), BUILT, BUILT);
  await mkdir(path.join(root, 'bin'));
  await copyFile(path.join(REPO, 'bin/netpol-e2e.js'), path.join(root, 'bin/netpol-e2e.js'));
  // tsx, for the sources.
  await symlink(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
});

const start = () => execa(process.execPath, [path.join(root, 'bin/netpol-e2e.js')], { reject: false });
const touch = (file: string) => utimes(path.join(root, file), BUILT + 100, BUILT + 100);

describe('bin/netpol-e2e.js', () => {
  it('runs the build when it is newer than every source', async () => {
    const r = await start();
    expect(r).toMatchObject({ exitCode: 0, stdout: 'build', stderr: '' });
  });

  it.each(['src/cli/main.ts', 'src/model/deep/more.ts', 'tsconfig.build.json', 'tsconfig.json'])('runs the sources, and says so, when %s changed after the build', async (file) => {
    await touch(file);
    const r = await start();
    expect(r).toMatchObject({ exitCode: 0, stdout: 'sources' });
    expect(r.stderr).toContain('src/ changed since the last build (npm run build): running the sources through tsx');
  });

  it('runs the sources of a clone that was never built', async () => {
    await execa('rm', ['-r', path.join(root, 'dist')]);
    expect((await start()).stdout).toBe('sources');
  });

  it('runs the build of an installed package, which carries no sources', async () => {
    await execa('rm', ['-r', path.join(root, 'src')]);
    await touch('tsconfig.json');
    expect(await start()).toMatchObject({ stdout: 'build', stderr: '' });
  });
});
