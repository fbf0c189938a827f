// Outcomes a tutorial states in words rather than shows as output: "The `curl` command should now time out", "The
// first command will work", "This request should fail", a shell comment "# This should not work". Each is read into
// the outcome vocabulary, as vaguely as the words are (a failure, a timeout, a success), with what it refers to: the
// first/second/last probe, all of them, or just "the request". A sentence that says both (the catalog works "but not
// the database"), or speaks of what a UI draws or a flow log shows, is no claim.
import type { Expectation } from '../../probe/outcome.ts';

/** Which of the probes before (or after) the words they are about. */
export type Reference = { kind: 'nth'; index: number } | { kind: 'last' } | { kind: 'all' } | { kind: 'both' } | { kind: 'it' };

export interface OutcomeSentence {
  line: number;
  text: string;
  expect: Expectation;
  refers: Reference;
  /** It points back at probes already shown ("the first command", "the above calls"). */
  back: boolean;
  /** It introduces what follows (ends with a colon). */
  colon: boolean;
  /** It is the block's last sentence (the next block may be what it speaks of). */
  final: boolean;
  /** An earlier sentence of the block ends with a colon: it is an item of a list about what follows. */
  listed: boolean;
  /** It says what the output shows ("as you can see"): a claim only of probes shown without output. */
  restates: boolean;
}

const NOUN = '(?:commands?|requests?|calls?|curls?|wgets?|connections?|tests?|attempts?|probes?|ones?)';
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

// Words of a probe's outcome; the negative ones are tried first ("should not work" holds "work").
const TIMEOUT = /\b(times? out|timed out|will time ?out|should time ?out|hangs?|will hang|hanging)\b/i;
// "should be same as blocked" (workshop-aks-hackfest-calico using-security-controls.md:122): as blocked as before.
const BE = '(?:is|are|be|been|get|gets|got|was|were)(?: now| still| also| all| both)?(?: the)?(?: same as)?';
const FAILS = new RegExp(
  String.raw`\b(fail(s|ed)?|${BE} (blocked|denied|dropped|rejected|refused)|cannot|can't|can not|unable to|not (be )?able to|no longer (be able to )?(reach|access|connect|communicate)|(will|should|does|do|did) not work|won't work|doesn't work|not (be )?allowed)\b`,
  'i',
);
const WORKS = new RegExp(
  String.raw`\b(succeed(s|ed)?|successful(ly)?|works|will work|should work|should be fine|is fine|${BE} allowed|can (now |still |also )?(connect|reach|access|communicate|call)|(be|is|are) able to (connect|reach|access|communicate|call)|(should|will|'ll) (now )?(see|show|return|get)( us)? (the|a|an|its|their)\b|still passes|passes)\b`,
  'i',
);
// What a UI, a dashboard or a flow log shows is not what a probe observes.
const NOT_A_PROBE = /\b(UI|browser|Whisker|flow logs?|dashboard|service graph|Hubble|visuali[sz]|screenshot|in the graph)\b/;
// A sentence about the policy or a later step, not about the outcome seen: conditions, explanations, plans.
// Questions and intentions ("test to see if we can connect", "validate the policy by confirming we cannot") say
// what the reader will look at, and "ui needs to be able to communicate with ..." is what a policy must allow.
// An instruction ("Test your newly allowed connection:") says what to do; it claims only with a modal ("Test the
// connectivity to the Internet, should be same as blocked").
const INSTRUCTION = /^\s*(test|try|run|check|verify|validate|confirm|let's|let us|now,? (let's|try|run|check|test))\b/i;
const MODAL = /\b(should|will|must|would)\b/i;
const NOT_AN_OUTCOME = /^\s*(if|when|once|before|to|in order to|note)\b|\b(if|unless|whether)\b|\b(by|to|and) (confirm|validate|verify|check)(ing)?\b|\bneeds? to\b|\bhas to\b|\brequires?\b|\bwhy\b/i;
// "As you can see the traffic is denied" repeats the output shown, if one was (a claim already), else it is the claim
// (workshop-aks-labs-acns acns-lab.md:318, after a probe shown without output).
const RESTATES = /\bas you (can|could) see\b/i;
// Two outcomes in one sentence ("... the 'catalog' service but not the database"): only names can tell which is whose
// (named-outcomes.ts).
const TWO_OUTCOMES = /\bbut not\b|\bbut\b.*\b(not|no longer|fail|blocked|denied)\b/i;

/**
 * The probe outcome a piece of text states, if any: the vaguest class its words allow (an HTTP status only where it
 * is named: "expect 403").
 */
export function statedOutcome(text: string): Expectation | undefined {
  const status = /\b(?:expect(?:ed|s)?|returns?|answers?|gets?|with)\s+(?:an?\s+|a status of\s+|status\s+|HTTP\s+)?([1-5]\d\d)\b/i.exec(text)?.[1];
  if (status) return { outcome: 'ok', status: Number(status) };
  const timeout = TIMEOUT.test(text);
  const fails = FAILS.test(text);
  const works = WORKS.test(text.replace(FAILS, ''));
  if (timeout && !works) return { outcome: 'timeout' };
  if (fails && !works) return { outcome: 'fails' };
  if (works && !fails && !timeout) return { outcome: 'ok' };
  return undefined;
}

/** Where the words of an outcome start and end in a clause ("is not able to", "can now connect"), if it has any. */
export function outcomeWords(text: string): { start: number; end: number } | undefined {
  const found = [FAILS, WORKS, TIMEOUT].map((r) => r.exec(text)).filter((m) => m !== null);
  const first = found.sort((a, b) => a.index - b.index)[0];
  return first && { start: first.index, end: first.index + first[0].length };
}

/** Which probes the words are about: by order, all of them, or the one the text just showed. */
function reference(text: string): { refers: Reference; back: boolean } | undefined {
  const nth = new RegExp(String.raw`\bthe (${ORDINALS.join('|')}|last|final|latter|former) (?:${NOUN}|one)\b`, 'i').exec(text);
  if (nth) {
    const word = nth[1]!.toLowerCase();
    if (word === 'last' || word === 'final' || word === 'latter') return { refers: { kind: 'last' }, back: true };
    return { refers: { kind: 'nth', index: word === 'former' ? 0 : ORDINALS.indexOf(word) }, back: true };
  }
  if (new RegExp(String.raw`\b(all|each|every) (of )?(the |these |those )?(above |previous |following )?${NOUN}\b|\bfor each (command|request|call)\b`, 'i').test(text)) {
    return { refers: { kind: 'all' }, back: /\b(above|previous|these|those)\b/i.test(text) };
  }
  if (/\bboth\b/i.test(text)) return { refers: { kind: 'both' }, back: false };
  if (/\b(the|these|those) (\S+ )?(commands|requests|calls|connections|tests|attempts|probes)\b|\bthey\b/i.test(text)) return { refers: { kind: 'all' }, back: false };
  return { refers: { kind: 'it' }, back: false };
}

/**
 * The sentences of a prose block, each with the line it starts on: they end at `.`, `!`, `?` or `:` before a space,
 * and at a list item's start.
 */
export function sentences(text: string, firstLine: number): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const boundary = /(?<=[.!?:])\s+|\n\s*(?=[-*]\s|\d+\.\s|[a-z]\.\s)/g;
  let start = 0;
  const push = (end: number) => {
    const piece = text.slice(start, end);
    const body = piece.trim();
    const at = start + piece.length - piece.trimStart().length;
    if (body !== '') out.push({ text: body.replace(/\s+/g, ' '), line: firstLine + (text.slice(0, at).match(/\n/g)?.length ?? 0) });
  };
  for (const m of text.matchAll(boundary)) {
    push(m.index);
    start = m.index + m[0].length;
  }
  push(text.length);
  return out;
}

/** A sentence's main clause: markup, asides in parentheses and a leading reason ("Because egress is allowed, ...") left out. */
export function mainClause(sentence: string): string {
  return (
    sentence
      .replace(/`([^`]*)`/g, '$1')
      .replace(/\*+/g, '')
      .replace(/\([^)]*\)/g, '')
      .replace(/^(because|since|now that|as)\b[^,]*,\s*/i, '')
      // "Now if we try to access Microsoft Graph API from order-service app, that should be allowed": the "if" is the
      // probe the reader runs, not a condition on its outcome (workshop-aks-labs-acns acns-lab.md:346).
      .replace(/^(now,? )?if (we|you) (try|run|call|test|attempt)\b[^,]*,\s*/i, '')
      // "X should have succeeded, but instead it failed": what happened is after the "but".
      .replace(/^.*\bshould have\b.*\bbut (instead )?/i, '')
  );
}

/** Whether a main clause may state an outcome seen: not a condition, an instruction, a requirement, nor a UI's picture. */
export function mayClaim(plain: string): boolean {
  return !NOT_A_PROBE.test(plain) && !NOT_AN_OUTCOME.test(plain) && !(INSTRUCTION.test(plain) && !MODAL.test(plain));
}

/** Whether a main clause says what the output shows ("as you can see"). */
export const restatesOutput = (plain: string) => RESTATES.test(plain);

/** The sentences of a prose block that state a probe's outcome. */
export function outcomeSentences(text: string, firstLine: number): OutcomeSentence[] {
  const all = sentences(text, firstLine);
  return all.flatMap(({ text: s, line }, i) => {
    const plain = mainClause(s);
    if (!mayClaim(plain) || TWO_OUTCOMES.test(plain)) return [];
    const expect = statedOutcome(plain);
    const ref = expect && reference(plain);
    if (!expect || !ref) return [];
    const listed = all.slice(0, i).some((a) => /:\s*$/.test(a.text));
    return [{ line, text: s, expect, ...ref, colon: /:\s*$/.test(s), final: i === all.length - 1, listed, restates: restatesOutput(plain) }];
  });
}

/** A shell comment on a probe's line or just above it that states its outcome (`# SQL injection probe — expect 403`). */
export function commentOutcome(comment: string): Expectation | undefined {
  const text = comment.replace(/^#+\s*/, '');
  return NOT_A_PROBE.test(text) ? undefined : statedOutcome(text);
}

/** The comment that ends a shell line (`wget ... --timeout 2  # This should not work`), if no quote follows its `#`. */
export function trailingComment(line: string): string | undefined {
  return /\s#\s*([^'"`]+)$/.exec(line)?.[1]?.trim();
}

/** Whether a block ends by introducing what every probe before it shows ("You should see this for each command:"). */
export function introducesEach(text: string): boolean {
  const last = sentences(text, 1).at(-1)?.text;
  return last !== undefined && /:\s*$/.test(last) && reference(last)?.refers.kind === 'all';
}
