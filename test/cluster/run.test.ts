// The cluster scripts' command runner: argv arrays with no shell in between, an echo of each command that a shell
// would run as the same argv (so a log can be replayed), and failures that carry the tool's own words.
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandError, findOnPath, run } from '../../scripts/cluster/run.ts';
import { fixture } from '../support/fixture.ts';

let echoed: string[];
beforeEach(() => {
  echoed = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void echoed.push(line));
});
afterEach(() => vi.restoreAllMocks());

describe('run', () => {
  it('passes every argument as it is, and echoes a line bash runs as the same argv', async () => {
    const args = ['%s|', '{{(index .NetworkSettings.Networks "kind").IPAddress}}', "it's", '--from-literal=world=198.51.100.10 198.18.1.2', '$(id)', ''];
    const { stdout } = await run('printf', args);
    expect(stdout).toBe(`${args.slice(1).join('|')}|`);
    expect(echoed[0]).toMatch(/^\$ printf /);
    const replayed = await execa('bash', ['-c', echoed[0]!.slice(2)]);
    expect(replayed.stdout).toBe(stdout);
  });

  it("throws the tool's exit code and words, or returns them with nothrow; a missing tool is exit 127", async () => {
    const error = await run('sh', ['-c', 'echo "no such container: x" >&2; exit 3'], { quiet: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).result.exitCode).toBe(3);
    expect((error as CommandError).stderr).toBe('no such container: x\n');
    expect((await run('sh', ['-c', 'exit 4'], { nothrow: true, quiet: true })).exitCode).toBe(4);
    const missing = await run('/nonexistent/kind', ['get', 'clusters'], { nothrow: true, quiet: true });
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toMatch(/ENOENT|nonexistent/);
    expect(echoed).toEqual([]);
  });

  it('finds only executables on the PATH, first one first', async () => {
    const a = await fixture({ kind: '#!/bin/sh\n', helm: 'not executable' });
    const b = await fixture({ kind: '#!/bin/sh\n', helm: '#!/bin/sh\n' });
    await chmod(path.join(a, 'kind'), 0o755);
    await chmod(path.join(b, 'kind'), 0o755);
    await chmod(path.join(b, 'helm'), 0o755);
    await writeFile(path.join(a, 'helm'), 'still not executable');
    const PATH = [a, b].join(path.delimiter);
    expect(await findOnPath('kind', PATH)).toBe(path.join(a, 'kind'));
    expect(await findOnPath('helm', PATH)).toBe(path.join(b, 'helm'));
    expect(await findOnPath('kubectl', PATH)).toBeNull();
  });
});
