// Outcomes stated of probes by the names of their client and target: "only the 'ui' component is able to communicate
// with the 'catalog' service component, and the 'orders' service component is not able to", "we can now connect to
// the 'catalog' service but not the database". Each clause keeps the words before its outcome (who connects) and
// after it (to what); which probes those words name is for the reading to say (extract/named-claims.ts), since only it
// knows the probes shown.
import type { Expectation } from '../../probe/outcome.ts';
import { mainClause, mayClaim, outcomeWords, restatesOutput, sentences, statedOutcome } from './outcome-sentences.ts';

export interface NamedClause {
  expect: Expectation;
  /** Words before the outcome: the client, if named ("the 'orders' service component"). */
  subject: string[];
  /** Words after it: the target ("with the 'catalog' service component"); [] where the clause leaves it out. */
  object: string[];
  /** "only X can reach Y": every other client's probe to Y is said to fail. */
  only: boolean;
}

export interface NamedSentence {
  line: number;
  text: string;
  clauses: NamedClause[];
}

// Plans and purposes ("let us implement a network policy to ensure only ... can communicate") are not outcomes seen.
const PLAN = /\b(let's|let us|to ensure|to make sure|so that|we('ll| will) (define|implement|create|apply|add|deploy))\b/i;
// Clauses of a sentence: "A, and B", "A but not B", "A; B", "A, while B".
const CLAUSE = /,?\s+(?=but not\b)|,\s*and\s+|;\s*|,?\s+(?:while|whereas)\s+|,\s*but\s+/i;
// A reason or an aside after the target names no probe ("... the database since it does not have the label").
const ASIDE = /\b(since|because|which|so|due to|by|as|when|once|after|until|unless|like)\b/i;

/** The words of a phrase, lower-case, names with dashes and dots kept whole ("catalog-mysql", "www.bing.com"). */
function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?/g) ?? [];
}

/** The sentences of a prose block that may state outcomes by names, with their clauses. */
export function namedSentences(text: string, firstLine: number): NamedSentence[] {
  const all = sentences(text, firstLine);
  return all.flatMap(({ text: s, line }, i) => {
    // The items of a list a colon introduced ("Expected Outcome:") are what to expect, not what was seen.
    if (all.slice(0, i).some((a) => /:\s*$/.test(a.text))) return [];
    const plain = mainClause(s.replace(/^(?:[a-z]|\d+)\.\s+/i, '')).replace(/[:.!]\s*$/, '');
    // A table's rows ("| 4b | POST /api/products | ... | ❌ Blocked by L7 policy |") sum up, they run no probe.
    if (/\?\s*$/.test(s) || /\|.*\|/.test(s) || !mayClaim(plain) || restatesOutput(plain) || PLAN.test(plain)) return [];
    const clauses: NamedClause[] = [];
    for (const piece of plain.split(CLAUSE)) {
      const prev = clauses.at(-1);
      // "... but not the database": the clause before, denied, to another target.
      const elided = /^but not\s+(.*)$/i.exec(piece);
      if (elided) {
        if (prev?.expect.outcome === 'ok') clauses.push({ expect: { outcome: 'fails' }, subject: prev.subject, object: words(before(elided[1]!)), only: false });
        continue;
      }
      const at = outcomeWords(piece);
      const expect = statedOutcome(piece);
      if (!at || !expect) continue;
      const [subject, object] = sides(piece.slice(0, at.start), before(piece.slice(at.end)));
      // "and the 'orders' service component is not able to": the target of the clause before.
      clauses.push({ expect, subject, object: object.length > 0 || !prev ? object : prev.object, only: /\bonly\b/i.test(piece.slice(0, at.start)) });
    }
    return clauses.length > 0 ? [{ line, text: s, clauses }] : [];
  });
}

const before = (text: string) => text.split(ASIDE)[0]!;

/**
 * Who connects and to what: the words before and after the outcome, except that "to ..." names the target wherever it
 * stands ("any calls to the internet should be blocked") and "from ..." the client ("... allowed from order-service").
 */
function sides(head: string, tail: string): [string[], string[]] {
  const subject: string[] = [];
  const object: string[] = [];
  for (const [text, home] of [
    [head, subject],
    [tail, object],
  ] as const) {
    let into = home;
    for (const w of words(text)) {
      if (w === 'to') into = object;
      else if (w === 'from') into = subject;
      else into.push(w);
    }
  }
  return [subject, object];
}
