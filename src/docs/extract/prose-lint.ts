// Policy names the prose talks about that no manifest in the tutorial defines: a typo, or a policy renamed in the
// YAML but not in the text. Only lowercase names of three or more dash-separated parts, in sentences about policies.
import type { KubeObject } from '../../manifest/objects.ts';
import { POLICY_KINDS } from '../../manifest/kinds.ts';
import type { Finding } from '../read/blocks.ts';
import type { Place } from './walk-state.ts';

const NAME = /(?<![\w./=-])[a-z0-9]+(?:-[a-z0-9]+){2,}(?![\w./=-])/g;

export function lintProse(prose: readonly (Place & { text: string })[], defined: readonly KubeObject[]): Finding[] {
  const policies = [...new Set(defined.filter((o) => POLICY_KINDS.has(o.kind)).map((o) => o.metadata.name))];
  const others = new Set(defined.filter((o) => !POLICY_KINDS.has(o.kind)).map((o) => o.metadata.name));
  const findings: Finding[] = [];
  for (const block of prose) {
    // Link targets and URLs name files and pages, not policies.
    const text = block.text.replace(/\]\([^)]*\)/g, ']').replace(/https?:\/\/\S+/g, '');
    for (const sentence of text.split(/(?<=[.!?])\s+/)) {
      if (!/polic(y|ies)|netpol|\bcnp\b/i.test(sentence)) continue;
      for (const m of sentence.matchAll(NAME)) {
        const name = m[0];
        if (policies.includes(name) || others.has(name)) continue;
        const near = closest(name, policies);
        findings.push({
          file: block.file,
          line: block.line + lineOffset(block.text, sentence),
          severity: 'lint',
          rule: 'policy-name-undefined',
          message: `the text names policy "${name}", which no manifest in the tutorial defines${near ? ` (did it mean "${near}"?)` : ''}`,
        });
      }
    }
  }
  return findings;
}

/** The line within a prose block where a sentence starts. */
function lineOffset(text: string, sentence: string): number {
  const at = text.indexOf(sentence.slice(0, 40));
  return at < 0 ? 0 : text.slice(0, at).split('\n').length - 1;
}

/** The defined name within a few edits of `name`, if any. */
function closest(name: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const candidate of names) {
    const d = distance(name, candidate);
    if (d <= 3 && (!best || d < best.d)) best = { name: candidate, d };
  }
  return best?.name;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
