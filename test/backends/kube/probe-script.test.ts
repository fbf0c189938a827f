// The per-pod probe script, run by a real POSIX sh: results come back per probe, in order, byte for byte.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildProbeScript, shellQuote } from '../../../src/backends/kube/probe-script.ts';

async function runScript(probes: string[][], wave?: number) {
  const script = buildProbeScript(probes, wave);
  const [shell, ...args] = script.argv;
  const done = await execa(shell!, args, { reject: false, stripFinalNewline: false });
  return { done, results: script.parse(done.stdout) };
}

describe('probe script', () => {
  it('returns each probe exit code, stdout and stderr exactly, however the probes end', async () => {
    const { results } = await runScript([
      ['sh', '-c', 'printf "HTTP/1.1 200 OK\\r\\nServer: x\\r\\n"'],
      ['sh', '-c', 'echo "curl: (28) Connection timed out after 1001 milliseconds" >&2; exit 28'],
      ['sh', '-c', 'printf no-newline; printf "two\\nlines\\n" >&2; exit 7'],
      ['sh', '-c', 'exit 0'],
    ]);
    expect(results).toEqual([
      { exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\nServer: x\r\n', stderr: '' },
      { exitCode: 28, stdout: '', stderr: 'curl: (28) Connection timed out after 1001 milliseconds\n' },
      { exitCode: 7, stdout: 'no-newline', stderr: 'two\nlines\n' },
      { exitCode: 0, stdout: '', stderr: '' },
    ]);
  });

  it('runs the probes of a wave at the same time and keeps their order', async () => {
    // The first probes wait for a file that only the last one creates: run one after another, they would give up.
    const flag = path.join(await mkdtemp(path.join(tmpdir(), 'netpol-e2e-')), 'flag');
    const waitForFlag = (i: number) => ['sh', '-c', `n=0; until [ -e ${flag} ]; do n=$((n+1)); [ $n -gt 100 ] && exit 99; sleep 0.05; done; echo probe-${i}; exit ${i + 1}`];
    const { results } = await runScript([waitForFlag(0), waitForFlag(1), ['sh', '-c', `touch ${flag}; echo probe-2; exit 3`]]);
    expect(results.map((r) => [r.exitCode, r.stdout])).toEqual([0, 1, 2].map((i) => [i + 1, `probe-${i}\n`]));
  });

  it('runs more probes than a wave holds, in several waves', async () => {
    const probes = Array.from({ length: 11 }, (_, i) => ['sh', '-c', `echo ${i}; exit ${i % 3}`]);
    const { results } = await runScript(probes, 4);
    expect(results.map((r) => `${r.exitCode}:${r.stdout.trim()}`)).toEqual(probes.map((_, i) => `${i % 3}:${i}`));
  });

  it('cannot be confused by a probe that prints something like a marker', async () => {
    const { results } = await runScript([
      ['sh', '-c', 'echo --netpol-e2e-0000000000000000 1 0'],
      ['echo', 'ok'],
    ]);
    expect(results[0]!.stdout).toBe('--netpol-e2e-0000000000000000 1 0\n');
    expect(results[1]!.stdout).toBe('ok\n');
  });

  it('refuses tokens that could leave the quotes or break the script', () => {
    expect(shellQuote('http://backend:8080/a?b=c&d=$HOME')).toBe("'http://backend:8080/a?b=c&d=$HOME'");
    for (const bad of ["x'; rm -rf /; '", 'a\nb', '', 'tab\there', 'é']) expect(() => shellQuote(bad)).toThrow(/refusing/);
    expect(() => buildProbeScript([['curl', "it's"]])).toThrow(/refusing/);
  });

  it('says so when the script was cut short instead of returning partial results', async () => {
    const script = buildProbeScript([
      ['echo', 'a'],
      ['echo', 'b'],
    ]);
    const [shell, ...args] = script.argv;
    const { stdout } = await execa(shell!, args, { stripFinalNewline: false });
    expect(script.parse(stdout)).toHaveLength(2);
    expect(() => script.parse(stdout.slice(0, stdout.length - 5))).toThrow(/did not finish/);
    expect(() => script.parse('')).toThrow(/no output/);
  });
});
