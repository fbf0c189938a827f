// One exec per source pod: a POSIX sh script that runs that pod's probes concurrently (in waves of a bounded
// size), waits for each, and prints every probe's exit code, stdout and stderr between marker lines. Each argv
// token is checked and single-quoted, so no suite string reaches the shell unquoted.
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../../probe/classify.ts';

/** Printable ASCII without the quote character: every token the probe builder makes fits, and nothing else passes. */
const SAFE_TOKEN = /^[\x20-\x26\x28-\x7e]+$/;

export function shellQuote(token: string): string {
  if (!SAFE_TOKEN.test(token)) throw new Error(`refusing to put ${JSON.stringify(token)} into a shell script: only printable ASCII without quotes is allowed`);
  return `'${token}'`;
}

export interface ProbeScript {
  argv: string[];
  /** Splits the script's stdout back into one result per probe, in order. */
  parse(stdout: string): ExecResult[];
}

export function buildProbeScript(probes: readonly (readonly string[])[], wave = 32): ProbeScript {
  if (probes.length === 0) throw new Error('no probes to run');
  const marker = `--netpol-e2e-${randomBytes(8).toString('hex')}`;
  const lines = ['d=$(mktemp -d) || exit 125', 'trap \'rm -rf "$d"\' EXIT'];
  for (let start = 0; start < probes.length; start += wave) {
    const indexes = probes.slice(start, start + wave).map((_, i) => start + i);
    for (const i of indexes) lines.push(`${probes[i]!.map(shellQuote).join(' ')} >"$d/${i}.o" 2>"$d/${i}.e" </dev/null & p${i}=$!`);
    for (const i of indexes) lines.push(`wait $p${i}; r${i}=$?`);
  }
  for (const [i] of probes.entries()) {
    lines.push(`printf '%s %d %d\\n' '${marker}' ${i} $r${i}; cat "$d/${i}.o"; printf '\\n%s %d\\n' '${marker}' ${i}; cat "$d/${i}.e"; printf '\\n'`);
  }
  lines.push(`printf '%s end\\n' '${marker}'`);
  return {
    argv: ['sh', '-c', lines.join('\n')],
    parse: (stdout) => parseOutput(stdout, marker, probes.length),
  };
}

function parseOutput(stdout: string, marker: string, count: number): ExecResult[] {
  if (!stdout.endsWith(`${marker} end\n`)) throw new Error(`the probe script did not finish: ${stdout.slice(-300) || '(no output)'}`);
  const results: ExecResult[] = [];
  // Each record: "<marker> i rc\n" stdout "\n<marker> i\n" stderr "\n"
  const head = new RegExp(`^${marker} (\\d+) (\\d+)\\n`);
  let rest = stdout.slice(0, -`${marker} end\n`.length);
  for (let i = 0; i < count; i++) {
    const m = head.exec(rest);
    if (!m || Number(m[1]) !== i) throw new Error(`the probe script's output is out of order at probe ${i}`);
    rest = rest.slice(m[0].length);
    const split = rest.indexOf(`\n${marker} ${i}\n`);
    if (split < 0) throw new Error(`the probe script's output lacks probe ${i}'s stderr`);
    const out = rest.slice(0, split);
    rest = rest.slice(split + `\n${marker} ${i}\n`.length);
    const next = i + 1 < count ? rest.indexOf(`\n${marker} ${i + 1} `) : rest.length - 1;
    if (next < 0) throw new Error(`the probe script's output lacks probe ${i + 1}`);
    results.push({ exitCode: Number(m[2]), stdout: out, stderr: rest.slice(0, next) });
    rest = rest.slice(next + 1);
  }
  return results;
}
