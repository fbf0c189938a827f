// known-divergences.yaml read in this process (the CLI tests in test/results/known.test.ts show the same rules end to
// end): each entry's fields, versions and outcome are checked at their line; a file named must exist, the default
// one is read only where it exists.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownDivergencesFor, loadKnownDivergences } from '../../src/results/known-divergences.ts';
import { fixture } from '../support/fixture.ts';

const ENTRY = `- suite: NetworkPolicy tutorial
  step: 2
  from: frontend
  to: backend:8080
  cilium: ">=1.19.0 <1.19.6"
  observed: ok:200
  why: https://github.com/cilium/cilium/issues/00000
`;

async function refusal(text: string): Promise<string> {
  const dir = await fixture({ 'known.yaml': text });
  return loadKnownDivergences(path.join(dir, 'known.yaml')).then(
    () => 'loaded',
    (e: Error) => e.message.replace(`${dir}${path.sep}`, ''),
  );
}

describe('known-divergences.yaml', () => {
  it('reads each entry with its parsed outcome and the line it starts at', async () => {
    const second = ENTRY.replace('step: 2', 'step: egress')
      .replace(/ {2}cilium: .*/, '  kubernetes: 1.33.x')
      .replace('observed: ok:200', 'observed: dns-failure');
    const dir = await fixture({ 'known.yaml': `# seen in CI\n${ENTRY}${second}` });
    const file = path.join(dir, 'known.yaml');
    const entries = await loadKnownDivergences(file);
    expect(entries).toEqual([
      { suite: 'NetworkPolicy tutorial', step: 2, from: 'frontend', to: 'backend:8080', cilium: '>=1.19.0 <1.19.6', observed: { outcome: 'ok', status: 200 }, why: 'https://github.com/cilium/cilium/issues/00000', at: `${file}:2` },
      { suite: 'NetworkPolicy tutorial', step: 'egress', from: 'frontend', to: 'backend:8080', kubernetes: '1.33.x', observed: { outcome: 'dns-failure' }, why: 'https://github.com/cilium/cilium/issues/00000', at: `${file}:9` },
    ]);
  });

  it('an empty file has no entries', async () => {
    const dir = await fixture({ 'known.yaml': '# nothing known yet\n' });
    expect(await loadKnownDivergences(path.join(dir, 'known.yaml'))).toEqual([]);
  });

  it('refuses each bad entry at its line, in words', async () => {
    expect(await refusal(ENTRY.replace('">=1.19.0 <1.19.6"', 'soon'))).toBe('known.yaml:5: [0].cilium: not a semver range (e.g. ">=1.19.0 <1.19.6")');
    expect(await refusal(ENTRY.replace(/ {2}cilium: .*\n/, ''))).toBe('known.yaml:1: [0]: name the versions it diverges on: cilium and/or kubernetes (a semver range)');
    expect(await refusal(ENTRY.replace('ok:200', 'blocked'))).toMatch(/^known\.yaml:6: \[0\]\.observed: not an outcome \(ok, ok:NNN, connect-timeout/);
    expect(await refusal(ENTRY.replace('step: 2', 'step: 0'))).toMatch(/^known\.yaml:2: \[0\]\.step: /);
    expect(await refusal(ENTRY.replace('step: 2', 'step: ""'))).toMatch(/^known\.yaml:2: \[0\]\.step: /);
    expect(await refusal(ENTRY.replace('why: https://github.com/cilium/cilium/issues/00000', 'why: ""'))).toMatch(/^known\.yaml:7: \[0\]\.why: /);
    expect(await refusal(ENTRY.replace(/ {2}from: .*\n/, ''))).toMatch(/^known\.yaml:1: \[0\]\.from: is required/);
    expect(await refusal(`${ENTRY}  color: red\n`)).toBe('known.yaml:8: [0].color: unknown field "color"');
    expect(await refusal('suite: not a list\n')).toMatch(/^known\.yaml:1: /);
  });

  it('reads a file named even where the default exists, the default where it exists, and nothing otherwise', async () => {
    const dir = await fixture({ 'known-divergences.yaml': ENTRY, 'other.yaml': `${ENTRY}${ENTRY}` });
    expect(await knownDivergencesFor(path.join(dir, 'other.yaml'), dir)).toHaveLength(2);
    expect(await knownDivergencesFor(undefined, dir)).toHaveLength(1);
    expect(await knownDivergencesFor(undefined, await fixture({}))).toEqual([]);
    await expect(knownDivergencesFor(path.join(dir, 'missing.yaml'), dir)).rejects.toThrow(/missing\.yaml: file not found/);
  });
});
