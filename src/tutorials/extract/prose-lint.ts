// Policy names the prose talks about that no manifest in the tutorial defines: a typo, or a policy renamed in the
// YAML but not in the text. Only where a word stands where a policy name goes: a code span the sentence calls a
// policy ("the `deny-all` policy", "NetworkPolicy `deny-all`"). Link labels, file and include names, namespaces,
// pods and labels in code spans are other things, and real tutorials name them in sentences about policies all the
// time: each such finding was a false alarm. A policy of another engine (Calico's GlobalNetworkPolicy) is defined too.
import type { KubeObject } from '../../manifest/objects.ts';
import { POLICY_KINDS } from '../../manifest/kinds.ts';
import type { Finding } from '../read/blocks.ts';
import type { Place } from './reading-state.ts';

/** A code span (markdown `x`, reStructuredText ``x``) holding one lowercase name of DNS-label shape. */
const SPAN = /(``?)([a-z0-9]+(?:-[a-z0-9]+)+)\1/g;
const POLICY_WORD = /^(?:(?:cilium|clusterwide)?network ?polic(?:y|ies)|polic(?:y|ies)|netpol|cnp|ccnp)$/i;
/** Words that may stand between a span and the policy word that names it: "the `a` and `b` policies". */
const FILLER = /^(?:the|a|an|named|called|and|or|,|new|existing|ingress|egress|l[347]|cilium|kubernetes)$/i;

export function lintProse(prose: readonly (Place & { text: string })[], defined: readonly KubeObject[], elsewhere: ReadonlySet<string>): Finding[] {
  const policies = [...new Set(defined.filter((o) => POLICY_KINDS.has(o.kind)).map((o) => o.metadata.name))];
  const others = new Set(defined.filter((o) => !POLICY_KINDS.has(o.kind)).map((o) => o.metadata.name));
  const findings: Finding[] = [];
  for (const block of prose) {
    // Link labels and targets name pages and files, not policies.
    const text = block.text.replace(/\[[^\]]*\]\([^)]*\)/g, ' ').replace(/https?:\/\/\S+/g, ' ');
    for (const sentence of text.split(/(?<=[.!?])\s+/)) {
      for (const m of sentence.matchAll(SPAN)) {
        const name = m[2]!;
        if (policies.includes(name) || others.has(name) || elsewhere.has(name) || !calledPolicy(sentence, m.index, m.index + m[0].length)) continue;
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

/** The policy word right before the span ("policy `x`") or right after it ("the `x` policy"), fillers aside. */
function calledPolicy(sentence: string, start: number, end: number): boolean {
  const words = (t: string) =>
    t
      .replace(/`[^`]*`/g, ' , ')
      .split(/\s+|(?=,)|(?<=,)/)
      .filter(Boolean)
      .map((w) => w.replace(/[.:;!?()"']/g, ''));
  const near = (list: string[]) => {
    for (const w of list.slice(0, 4)) {
      if (POLICY_WORD.test(w)) return true;
      if (!FILLER.test(w)) return false;
    }
    return false;
  };
  return near(words(sentence.slice(0, start)).reverse()) || near(words(sentence.slice(end)));
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
