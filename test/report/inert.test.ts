// Untrusted text (suite and step names, tutorial lines, cluster output) reaches the terminal inert.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inert, inertDeep } from '../../src/report/inert.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';

describe('inert text', () => {
  it('escapes C0 and C1 controls, DEL and bidirectional overrides; keeps tabs and ordinary Unicode', () => {
    expect(inert('a\x1b[2Jb\nc\rd\x07\x7f\x9b\u202eé\tü')).toBe('a\\x1b[2Jb\\x0ac\\x0dd\\x07\\x7f\\x9b\\u202eé\tü');
    expect(inertDeep({ n: 1, list: ['x\ny'], ok: true })).toEqual({ n: 1, list: ['x\\x0ay'], ok: true });
  });

  it('a step name cannot clear the screen or print a fake PASS line', async () => {
    const dir = await fixture({
      'x.suite.yaml': `name: "evil\\e[2J"\nmanifestDir: ${path.join(REPO, 'manifests')}\napps: [demo]\nsteps:\n  - name: "a\\nPASS: 9/9 suites pass\\e]0;title\\a"\n    expect:\n      frontend -> backend:8080: "ok:200"\n`,
    });
    const { stdout, exitCode } = await runInProcess('run', path.join(dir, 'x.suite.yaml'));
    expect(exitCode).toBe(0);
    expect(stdout).not.toMatch(/\x1b|\x07/);
    expect(stdout.split('\n').filter((l) => l.startsWith('PASS: '))).toEqual(['PASS: 1/1 suites pass, 1 cells, 0 tutorial claims checked on backend model']);
    expect(stdout).toContain('Step 1: a\\x0aPASS: 9/9 suites pass\\x1b]0;title\\x07');
  });
});
