// The layering check (.dependency-cruiser.cjs, npm run deps) on a copy of src/ with deliberate faults: an upward
// import, a type-only upward import, an import between siblings, src importing the tests, and a cycle. The tree itself
// is checked by npm run deps in .ci/run; here, that the rules catch what they are for.
import { cp, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { fixture, REPO } from '../support/fixture.ts';

/** A .ts module of a room (any: rooms are carved and renamed, the rules hold for each). */
async function moduleOf(room: string): Promise<string> {
  const file = (await readdir(path.join(REPO, 'src', room))).filter((f) => f.endsWith('.ts')).sort()[0];
  if (!file) throw new Error(`no module in src/${room}`);
  return `src/${room}/${file}`;
}

describe('layering check', () => {
  it('fails on an upward import, a type-only one, one between siblings, src importing test/, and a cycle', async () => {
    const dir = await fixture({});
    for (const file of ['src', '.dependency-cruiser.cjs', 'tsconfig.json', 'package.json']) await cp(path.join(REPO, file), path.join(dir, file), { recursive: true });
    await symlink(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
    const runner = await moduleOf('runner');
    const cli = await moduleOf('cli');
    const probe = await moduleOf('probe');
    const faults: Record<string, string> = {
      'src/model/upward.ts': `import '../../${runner}';\n`,
      'src/input/typed-upward.ts': `import type {} from '../../${cli}';\n`,
      'src/world/sibling.ts': `import '../../${probe}';\n`,
      'src/suite/tested.ts': "import '../../test/helper.ts';\n",
      'test/helper.ts': 'export {};\n',
      'src/lint/cycle-a.ts': "import './cycle-b.ts';\nexport const a = 1;\n",
      'src/lint/cycle-b.ts': "import './cycle-a.ts';\nexport const b = 2;\n",
    };
    await mkdir(path.join(dir, 'test'));
    for (const [file, text] of Object.entries(faults)) await writeFile(path.join(dir, file), text);

    // As npm run deps runs it: one line a finding, exit status the number of errors.
    const { exitCode, stdout } = await execa(path.join(REPO, 'node_modules/.bin/depcruise'), ['src', '--config', '.dependency-cruiser.cjs'], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
    const findings = stdout.split('\n').map((line) => line.trim());
    expect(findings).toContain(`error model-imports-no-higher-room: src/model/upward.ts → ${runner}`);
    expect(findings).toContain(`error input-imports-no-higher-room: src/input/typed-upward.ts → ${cli}`);
    expect(findings).toContain(`error world-imports-no-higher-room: src/world/sibling.ts → ${probe}`);
    expect(findings).toContain('error src-imports-no-tooling: src/suite/tested.ts → test/helper.ts');
    expect(findings).toContain('error no-circular: src/lint/cycle-a.ts →');
    // No entry point reaches the faults: each is dead code too.
    expect(findings).toContain('error no-dead-module: src/model/upward.ts');
    expect(exitCode).toBeGreaterThanOrEqual(7);
  }, 240_000);
});
