// The outcome vocabulary as suites, results files and docs claims write it: what each spelling means, what it
// matches, and that formatting and parsing are each other's inverse.
import { describe, expect, it } from 'vitest';
import { agree, formatExpectation, formatObservation, isConclusive, OUTCOMES, parseExpectation, parseObservation, satisfies, type Observation } from '../../src/probe/outcome.ts';

describe('expectations', () => {
  it('are read from every spelling a suite may use, and nothing else', () => {
    expect(parseExpectation('ok')).toEqual({ outcome: 'ok' });
    expect(parseExpectation('ok:403')).toEqual({ outcome: 'ok', status: 403 });
    expect(parseExpectation('ok:<400')).toEqual({ outcome: 'ok', below: 400 });
    expect(parseExpectation('denied')).toEqual({ outcome: 'denied' });
    expect(parseExpectation('dns-failure')).toEqual({ outcome: 'dns-failure' });
    for (const outcome of ['connect-timeout', 'dns-timeout', 'dns-error', 'refused', 'tls-error']) expect(parseExpectation(outcome)).toEqual({ outcome });
    for (const bad of ['ok:40', 'ok:4000', 'xok:403', 'ok:403x', 'ok:<40', 'ok:<4000', 'ok:<abc', 'x ok:<400', 'ok:<400 ', 'exec-error', 'not-runnable', 'unpredicted', 'OK', '']) {
      expect(parseExpectation(bad), bad).toBeUndefined();
    }
  });

  it('are written back as they were read', () => {
    for (const text of ['ok', 'ok:200', 'ok:<400', 'denied', 'dns-failure', 'connect-timeout', 'refused']) expect(formatExpectation(parseExpectation(text)!)).toBe(text);
    expect(formatExpectation({ outcome: 'ok', status: undefined, below: undefined })).toBe('ok');
  });

  it('match the observations they name', () => {
    const ok = (status?: number): Observation => ({ outcome: 'ok', ...(status !== undefined && { status }) });
    const cases: [string, Observation, boolean][] = [
      ['ok', ok(200), true],
      ['ok', ok(), true],
      ['ok', { outcome: 'refused' }, false],
      ['ok:200', ok(200), true],
      ['ok:200', ok(403), false],
      ['ok:200', ok(), false],
      ['ok:<400', ok(301), true],
      ['ok:<400', ok(399), true],
      ['ok:<400', ok(400), false],
      ['ok:<400', ok(403), false],
      ['ok:<400', ok(), true],
      ['ok:<400', { outcome: 'connect-timeout' }, false],
      ['denied', { outcome: 'connect-timeout' }, true],
      ['denied', { outcome: 'dns-timeout' }, true],
      ['denied', { outcome: 'dns-error' }, true],
      ['denied', { outcome: 'refused' }, false],
      ['denied', ok(403), false],
      ['dns-failure', { outcome: 'dns-error' }, true],
      ['dns-failure', { outcome: 'dns-timeout' }, true],
      ['dns-failure', { outcome: 'connect-timeout' }, false],
      ['connect-timeout', { outcome: 'connect-timeout' }, true],
      ['connect-timeout', { outcome: 'dns-timeout' }, false],
      ['refused', { outcome: 'refused' }, true],
      ['tls-error', { outcome: 'refused' }, false],
    ];
    for (const [text, observation, expected] of cases) expect(satisfies(parseExpectation(text)!, observation), `${text} vs ${formatObservation(observation)}`).toBe(expected);
  });
});

describe('observations', () => {
  it('are written with their status when ok has one, and read back the same', () => {
    const observations: Observation[] = [{ outcome: 'ok', status: 200 }, { outcome: 'ok' }, { outcome: 'refused' }, { outcome: 'exec-error' }, { outcome: 'unpredicted' }];
    expect(observations.map(formatObservation)).toEqual(['ok:200', 'ok', 'refused', 'exec-error', 'unpredicted']);
    for (const o of observations) expect(parseObservation(formatObservation(o))).toEqual(o);
    expect(formatObservation({ outcome: 'refused', status: 200 })).toBe('refused');
    expect(parseObservation('blocked')).toBeUndefined();
    expect(parseObservation('denied')).toBeUndefined();
  });

  it('agree on the outcome, and on the status only where both have one', () => {
    expect(agree({ outcome: 'ok', status: 200 }, { outcome: 'ok', status: 200 })).toBe(true);
    expect(agree({ outcome: 'ok', status: 200 }, { outcome: 'ok', status: 403 })).toBe(false);
    expect(agree({ outcome: 'ok', status: 200 }, { outcome: 'ok' })).toBe(true);
    expect(agree({ outcome: 'ok' }, { outcome: 'ok', status: 403 })).toBe(true);
    expect(agree({ outcome: 'ok' }, { outcome: 'refused' })).toBe(false);
    expect(agree({ outcome: 'connect-timeout' }, { outcome: 'dns-timeout' })).toBe(false);
    expect(agree({ outcome: 'refused' }, { outcome: 'refused' })).toBe(true);
  });

  it('are verdicts except where the probe did not run or was not predicted', () => {
    expect(OUTCOMES.filter(isConclusive)).toEqual(['ok', 'connect-timeout', 'dns-timeout', 'dns-error', 'refused', 'tls-error']);
    expect(isConclusive('denied')).toBe(false);
  });
});
