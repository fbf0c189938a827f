// How `docs check` reports: a terminal listing by place in the text, a markdown summary for a CI step summary
// (GitHub's $GITHUB_STEP_SUMMARY), and the JSON file (docs/tutorials.md, "JSON").
import pc from 'picocolors';
import type { Finding } from '../read/blocks.ts';
import { inertDeep, json, markdown } from '../../report/inert.ts';
import { appendText, writeText } from '../../report/json.ts';
import { errorAnnotation } from '../../report/annotations.ts';
import type { RunEnvironment } from '../../results/result.ts';
import type { ClaimReport, DocsCheck, Verdict } from './check.ts';

export const DOCS_CHECK_FORMAT = 'netpol-e2e/docs-check/v1';

const MARK: Record<Verdict, string> = { holds: pc.green('✓'), contradicted: pc.red('✗'), 'not-checkable': pc.yellow('?') };

export function counts(check: Pick<DocsCheck, 'claims' | 'findings'>) {
  const n = (v: Verdict) => check.claims.filter((c) => c.verdict === v).length;
  const f = (s: Finding['severity']) => check.findings.filter((x) => x.severity === s).length;
  return { claims: check.claims.length, holds: n('holds'), contradicted: n('contradicted'), notCheckable: n('not-checkable'), lint: f('lint'), errors: f('error'), warnings: f('warning') };
}

/** The counts of one tutorial's check, or of several together. */
export function summaryText(...checks: Pick<DocsCheck, 'claims' | 'findings'>[]): string {
  const c = counts({ claims: checks.flatMap((x) => x.claims), findings: checks.flatMap((x) => x.findings) });
  return `${c.claims} claims: ${c.holds} hold, ${c.contradicted} contradicted, ${c.notCheckable} not checkable; ${c.lint} lint finding(s), ${c.errors} error(s), ${c.warnings} warning(s)`;
}

function claimLine(c: ClaimReport): string {
  const head = `  ${MARK[c.verdict]} ${c.file}:${c.line}  ${c.command}`;
  const body =
    c.verdict === 'holds'
      ? pc.dim(`      claimed ${c.claimed}, observed ${c.observed}`)
      : c.verdict === 'contradicted'
        ? [`      ${pc.red(c.why ?? '')}`, ...(c.explanation ?? []).map((l) => pc.dim(`        ${l}`))].join('\n')
        : pc.yellow(`      not checkable: ${c.why}`);
  return `${head}\n${body}`;
}

export function findingLine(raw: Finding): string {
  const f = inertDeep(raw);
  const color = f.severity === 'warning' ? pc.dim : f.severity === 'lint' ? pc.yellow : pc.red;
  return `  ${f.file}${f.line ? `:${f.line}` : ''}: ${color(`${f.severity} ${f.rule}`)}: ${f.message}`;
}

export function renderCheck(raw: DocsCheck): string {
  const check = inertDeep(raw);
  const out = [pc.bold(`${check.target} (backend ${check.backend}; ${check.config ? `docs config ${check.config}` : 'no docs config'})`), ...check.claims.map(claimLine)];
  if (check.noClaims) out.push(pc.red('  no claim found: nothing in this tutorial was checked (see the warnings for what was skipped; --allow-no-claims passes it)'));
  if (check.unclaimed.length) out.push(pc.dim(`  probes shown without output (nothing to check): ${check.unclaimed.map((u) => `${u.file}:${u.line}`).join(', ')}`));
  if (check.findings.length) out.push('  findings:', ...check.findings.map((f) => `  ${findingLine(f)}`));
  out.push(`  ${check.pass ? pc.green('PASS') : pc.red('FAIL')}: ${summaryText(check)}`);
  return out.join('\n');
}

/** Markdown for a CI step summary: one table of claims, then the findings. */
export function renderMarkdown(check: DocsCheck): string {
  const icon: Record<Verdict, string> = { holds: '✅', contradicted: '❌', 'not-checkable': '❔' };
  const md = (s: string | undefined) => markdown(s ?? '');
  const rows = check.claims.map((c) => `| ${icon[c.verdict]} ${c.verdict} | ${md(`${c.file}:${c.line}`)} | ${md(c.command)} | ${md(c.claimed)} | ${md(c.observed)} | ${md(c.verdict === 'holds' ? '' : c.why)} |`);
  const findings = check.findings.filter((f) => f.severity !== 'warning').map((f) => `- **${f.severity} ${md(f.rule)}** ${md(`${f.file}${f.line ? `:${f.line}` : ''}`)}: ${md(f.message)}`);
  return [
    `### ${check.pass ? '✅' : '❌'} ${md(check.target)} (${md(check.backend)})`,
    '',
    summaryText(check),
    ...(check.noClaims ? ['', '**No claim found: nothing in this tutorial was checked.**'] : []),
    '',
    '| verdict | claim | command | claimed | observed | why |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...(findings.length ? ['', ...findings] : []),
    '',
  ].join('\n');
}

/**
 * `docs check --annotations`: a GitHub error annotation at what fails the check, at its place in the text: each
 * contradicted claim, each lint finding and error, and a tutorial in which no claim was found.
 */
export function checkAnnotations(check: DocsCheck): string[] {
  const title = (what: string) => `${what} on ${check.backend}`;
  return [
    ...(check.noClaims ? [errorAnnotation(check.target, undefined, title('no claim found'), 'nothing in this tutorial was checked')] : []),
    ...check.claims.filter((c) => c.verdict === 'contradicted').map((c) => errorAnnotation(c.file, c.line, title('contradicted'), `${c.command}: claimed ${c.claimed ?? '?'}, observed ${c.observed ?? '?'}${c.why ? `: ${c.why}` : ''}`)),
    ...check.findings.filter((f) => f.severity !== 'warning').map((f) => errorAnnotation(f.file, f.line, `${f.severity} ${f.rule}`, f.message)),
  ];
}

export async function writeCheckJson(file: string, environment: RunEnvironment, checks: readonly DocsCheck[], signal?: AbortSignal): Promise<void> {
  const body = {
    format: DOCS_CHECK_FORMAT,
    environment,
    pass: checks.every((c) => c.pass),
    tutorials: checks.map((c) => ({ target: c.target, config: c.config ?? null, backend: c.backend, pass: c.pass, noClaims: c.noClaims, counts: counts(c), claims: c.claims, findings: c.findings, unclaimed: c.unclaimed })),
    claims: checks.flatMap((c) => c.claims),
  };
  await writeText(file, json(body), signal);
}

export async function appendSummary(file: string, checks: readonly DocsCheck[]): Promise<void> {
  await appendText(file, checks.map(renderMarkdown).join('\n'));
}
