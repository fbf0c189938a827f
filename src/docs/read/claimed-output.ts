// The output a tutorial tells the reader to expect, in the outcome vocabulary: curl's error line and exit code
// are read by the same classifier as real probes, an HTTP status line is a connection.
import { classifyCurl } from '../../probe/classify.ts';
import { isConclusive, type Expectation } from '../../probe/outcome.ts';
import type { SourceLine } from './blocks.ts';

export type ClaimedOutcome = { expect: Expectation; reason: string } | { why: string };

export function classifyClaimedOutput(lines: readonly SourceLine[]): ClaimedOutcome {
  const texts = lines.map((l) => l.text.trim()).filter((t) => t !== '');
  const curlError = texts.find((t) => /^curl: \(\d+\)/.test(t));
  const exit = texts.map((t) => /^command terminated with exit code (\d+)/.exec(t)?.[1]).find((c) => c !== undefined);
  const status = texts.map((t) => /^HTTP\/[\d.]+ (\d{3})/.exec(t)?.[1]).find((s) => s !== undefined);
  if (status && (curlError || exit)) return { why: `the output shows both an HTTP status and a failure (${curlError ?? `exit code ${exit}`})` };
  if (status) return { expect: { outcome: 'ok', status: Number(status) }, reason: `HTTP ${status}` };
  if (curlError) {
    const code = Number(/^curl: \((\d+)\)/.exec(curlError)![1]);
    const c = classifyCurl({ exitCode: code, stdout: '', stderr: curlError });
    if (!isConclusive(c.outcome) || c.outcome === 'ok') return { why: `${curlError}: not a connectivity verdict` };
    return { expect: { outcome: c.outcome }, reason: curlError };
  }
  // Without curl's message an exit code 28 says only that curl timed out: a drop, at DNS or at connect.
  if (exit === '28') return { expect: { outcome: 'denied' }, reason: 'exit code 28 (curl timed out)' };
  if (exit) {
    const c = classifyCurl({ exitCode: Number(exit), stdout: '', stderr: '' });
    return !isConclusive(c.outcome) || c.outcome === 'ok' ? { why: `exit code ${exit} is not a connectivity verdict` } : { expect: { outcome: c.outcome }, reason: `exit code ${exit}` };
  }
  return { why: texts.length ? 'the output shows neither an HTTP status line nor a curl error: it says nothing about connectivity' : 'no output is shown' };
}

export interface OutputSection {
  title?: string;
  lines: SourceLine[];
}

/** Output split at `# Title` lines (`# Frontend`, `# Call to https://...`); lines before any title form one section. */
export function outputSections(lines: readonly SourceLine[]): OutputSection[] {
  const sections: OutputSection[] = [];
  for (const l of lines) {
    const title = /^#\s*(.*?)\s*$/.exec(l.text.trim())?.[1];
    if (title !== undefined) sections.push({ title, lines: [] });
    else if (sections.length === 0) {
      if (l.text.trim() !== '') sections.push({ lines: [l] });
    } else sections.at(-1)!.lines.push(l);
  }
  return sections;
}
