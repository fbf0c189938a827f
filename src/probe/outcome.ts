// The outcome vocabulary: what a probe can observe, and how an expectation matches an observation.

// exec-error (the probe could not run), not-runnable (the backend cannot run such a probe) and unpredicted (the
// model does not simulate a field the flow depends on) are never verdicts.
export const OUTCOMES = ['ok', 'connect-timeout', 'dns-timeout', 'dns-error', 'refused', 'tls-error', 'exec-error', 'not-runnable', 'unpredicted'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes that are never verdicts; the rest are what a probe can end in. */
export type NotVerdict = 'exec-error' | 'not-runnable' | 'unpredicted';
export type Conclusive = Exclude<Outcome, NotVerdict>;
const NOT_VERDICTS: readonly string[] = ['exec-error', 'not-runnable', 'unpredicted'] satisfies NotVerdict[];

export const isConclusive = (outcome: string): outcome is Conclusive => (OUTCOMES as readonly string[]).includes(outcome) && !NOT_VERDICTS.includes(outcome);

export interface Observation {
  outcome: Outcome;
  /** The HTTP status when the outcome is ok. */
  status?: number;
}

/** `denied` is the convenience that matches any outcome a policy drop can cause. */
export const DENIED: readonly Outcome[] = ['connect-timeout', 'dns-timeout', 'dns-error'];

/** `dns-failure` is what clients that do not tell a DNS timeout from an error say (busybox: "bad address"). */
export const DNS_FAILURE: readonly Outcome[] = ['dns-error', 'dns-timeout'];

/**
 * `ok` may name its status, or only that it was below one (`ok:<400`: a client that prints a body only for a
 * successful answer, such as wget, showed one).
 */
/** `timeout` and `fails` are what prose says when it names no error: "the request will hang", "this should fail". */
export const TIMEOUT: readonly Outcome[] = ['connect-timeout', 'dns-timeout'];

export type Expectation = { outcome: Conclusive; status?: number; below?: number } | { outcome: 'denied' } | { outcome: 'dns-failure' } | { outcome: 'timeout' } | { outcome: 'fails' };

export function parseExpectation(text: string): Expectation | undefined {
  const match = /^(ok):(\d{3})$/.exec(text);
  if (match) return { outcome: 'ok', status: Number(match[2]) };
  const below = /^ok:<(\d{3})$/.exec(text);
  if (below) return { outcome: 'ok', below: Number(below[1]) };
  if (text === 'denied') return { outcome: 'denied' };
  if (text === 'dns-failure') return { outcome: 'dns-failure' };
  if (text === 'timeout') return { outcome: 'timeout' };
  if (text === 'fails') return { outcome: 'fails' };
  if (isConclusive(text)) return { outcome: text };
  return undefined;
}

export function formatExpectation(expectation: Expectation): string {
  if ('status' in expectation && expectation.status !== undefined) return `ok:${expectation.status}`;
  return 'below' in expectation && expectation.below !== undefined ? `ok:<${expectation.below}` : expectation.outcome;
}

export function formatObservation(observation: Observation): string {
  return observation.outcome === 'ok' && observation.status !== undefined ? `ok:${observation.status}` : observation.outcome;
}

/** The inverse of formatObservation. */
export function parseObservation(text: string): Observation | undefined {
  const [outcome, status] = text.split(':');
  if (!(OUTCOMES as readonly string[]).includes(outcome!)) return undefined;
  return status === undefined ? { outcome: outcome as Outcome } : { outcome: outcome as Outcome, status: Number(status) };
}

export function satisfies(expectation: Expectation, observation: Observation): boolean {
  if (expectation.outcome === 'denied') return DENIED.includes(observation.outcome);
  if (expectation.outcome === 'dns-failure') return DNS_FAILURE.includes(observation.outcome);
  if (expectation.outcome === 'timeout') return TIMEOUT.includes(observation.outcome);
  // Any failure: no answer, or an answer that is an HTTP error (an L7 policy's 403 is "denied" too).
  if (expectation.outcome === 'fails') return isConclusive(observation.outcome) && (observation.outcome !== 'ok' || (observation.status ?? 0) >= 400);
  if (expectation.outcome !== observation.outcome) return false;
  if ('below' in expectation && expectation.below !== undefined && observation.status !== undefined && observation.status >= expectation.below) return false;
  return !('status' in expectation) || expectation.status === undefined || expectation.status === observation.status;
}

/** Two observations agree when they are the same outcome; an HTTP status only counts when both have one. */
export function agree(a: Observation, b: Observation): boolean {
  return a.outcome === b.outcome && (a.status === undefined || b.status === undefined || a.status === b.status);
}
