// Sentences that state outcomes by naming the client and the target (read/named-outcomes.ts) become claims of the
// probes they name: among the probes of the same section, before the sentence or after it, with no change (followed
// or not) between. A sentence is read this way only where the order words of claims.ts tie it to no probe. Names that
// match no probe, or probes of different clients or targets, make no claim: the reader never guesses.
import type { Expectation } from '../../probe/outcome.ts';
import { namedSentences, type NamedClause, type NamedSentence } from '../read/named-outcomes.ts';
import { statedClaim, type DocProbe, type NamedHeld, type ReadingState } from './reading-state.ts';

/** A probe's client or target as the text may name it: its names, and every word that may stand for it. */
interface Party {
  names: string[];
  words: Set<string>;
}

// Parts of names that say what a thing is, not which one ("order-service" is named "order", not "service").
const GENERIC = new Set(['service', 'svc', 'pod', 'app', 'api', 'server', 'client', 'deployment', 'deploy', 'component', 'namespace', 'default', 'www', 'com', 'org', 'net', 'io', 'cluster', 'local']);
// What a reader calls a database's server.
const DATABASES = new Set(['mysql', 'mariadb', 'postgres', 'postgresql', 'mongo', 'mongodb', 'redis', 'db']);
// A subject that names no client: the reader, the traffic itself ("we can now connect to ..."), or an instruction
// ("Test the connectivity to the Internet, should be same as blocked").
const IMPERSONAL = new Set([
  'we',
  'you',
  'i',
  'it',
  'they',
  'this',
  'that',
  'these',
  'those',
  'the',
  'a',
  'an',
  'now',
  'also',
  'still',
  'then',
  'so',
  'however',
  'and',
  'any',
  'all',
  'our',
  'your',
  'traffic',
  'access',
  'connection',
  'connections',
  'connectivity',
  'request',
  'requests',
  'call',
  'calls',
  'test',
  'check',
  'try',
]);

function party(names: string[], more: string[] = []): Party {
  const all = new Set([...names, ...more]);
  for (const n of names) for (const part of n.split(/[-.]/)) if (!GENERIC.has(part)) all.add(part);
  if ([...all].some((w) => DATABASES.has(w))) all.add('database').add('db');
  return { names, words: all };
}

/** Names written inside a command substitution: `get po porter`, `-l app=order-service`. */
function substituted(text: string): string[] {
  const got = [...text.matchAll(/\bget\s+(?:po|pods?|deploy|deployments?|svc|services?)\s+([a-z0-9][-a-z0-9]*)/gi)].map((m) => m[1]!);
  const labels = [...text.matchAll(/\b[\w./-]+=([a-z0-9][-a-z0-9.]*)/gi)].map((m) => m[1]!);
  return [...got, ...labels].map((n) => n.toLowerCase());
}

function client(p: DocProbe): Party {
  const { pod, namespace } = p.client;
  const names = pod.includes('$(') ? substituted(pod) : [pod.split('/').at(-1)!.toLowerCase()];
  return party(names, namespace && namespace !== 'default' ? [namespace.toLowerCase()] : []);
}

function target(p: DocProbe): Party {
  const url = p.call.url;
  if (url.includes('$(')) return party(substituted(url));
  const host = url
    .replace(/^[a-z]+:\/\//i, '')
    .split(/[:/]/)[0]!
    .toLowerCase();
  if (host.startsWith('$') || /^[\d.]+$/.test(host)) return party([]);
  const labels = host.split('.');
  // A Service (NAME, NAME.NAMESPACE, NAME.NAMESPACE.svc...) is named by its name; any other host is on the internet.
  if ((labels.length <= 2 && !/\.(com|org|net)$/.test(host)) || labels[2] === 'svc') return party([labels[0]!], labels.slice(1, 2));
  return party([host], [...labels, 'internet']);
}

/** The probes one clause names, each with the outcome it states of them. */
function named(clause: NamedClause, candidates: DocProbe[]): { probe: DocProbe; expect: Expectation }[] {
  const targets = new Map(candidates.map((p) => [p, target(p)]));
  const clients = new Map(candidates.map((p) => [p, client(p)]));
  const to = clause.object.filter((w) => candidates.some((p) => targets.get(p)!.words.has(w)));
  if (to.length === 0) return [];
  let toThem = candidates.filter((p) => to.every((w) => targets.get(p)!.words.has(w)));
  // "the 'catalog' service" is catalog, not catalog-mysql.
  const exact = toThem.filter((p) => targets.get(p)!.names.some((n) => to.includes(n)));
  if (exact.length > 0) toThem = exact;
  const from = clause.subject.filter((w) => candidates.some((p) => clients.get(p)!.words.has(w)));
  if (from.length === 0 && !clause.subject.every((w) => IMPERSONAL.has(w))) return [];
  const theirs = from.length === 0 ? toThem : toThem.filter((p) => from.every((w) => clients.get(p)!.words.has(w)));
  const key = (p: DocProbe) => `${from.length > 0 ? clients.get(p)!.names.join() : ''} -> ${targets.get(p)!.names.join()}`;
  if (theirs.length === 0 || new Set(theirs.map(key)).size > 1) return [];
  const said = theirs.map((probe) => ({ probe, expect: clause.expect }));
  // "only the 'ui' component is able to ...": the other clients' probes to it fail.
  if (!clause.only || clause.expect.outcome !== 'ok' || from.length === 0) return said;
  return [...said, ...toThem.filter((p) => !theirs.includes(p)).map((probe) => ({ probe, expect: { outcome: 'fails' } as Expectation }))];
}

/** The sentences of a prose block that may name probes, by line and text, each with the changes made before it. */
export function namedIn(state: ReadingState, file: string, line: number, text: string): Map<string, NamedHeld> {
  return new Map(namedSentences(text, line).map((sentence) => [sentenceKey(sentence), { file, sentence, changes: state.changes }]));
}

export const sentenceKey = (s: { line: number; text: string }) => `${s.line}:${s.text}`;

/** The end of a section (a heading, a chapter, the end): each named sentence's claims, among the probes around it. */
export function resolveNamed(state: ReadingState) {
  const section = state.probes.slice(state.sectionStart);
  for (const held of state.named)
    claim(
      held.file,
      held.sentence,
      section.filter((p) => p.changes === held.changes),
    );
  state.named = [];
  state.sectionStart = state.probes.length;
}

function claim(file: string, sentence: NamedSentence, candidates: DocProbe[]) {
  const said = new Map<DocProbe, Expectation[]>();
  for (const c of sentence.clauses) for (const { probe, expect } of named(c, candidates)) said.set(probe, [...(said.get(probe) ?? []), expect]);
  for (const [probe, expects] of said) {
    // Clauses that say opposite things of one probe say nothing of it.
    if (new Set(expects.map((e) => e.outcome)).size === 1) probe.claims.push(statedClaim(file, sentence.line, sentence.text, expects[0]!));
  }
}
