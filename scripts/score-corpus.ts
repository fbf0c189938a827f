// Scores `docs check` against the corpus of real tutorials (tutorials/corpus/README.md): for each tutorial, the
// claims of its truth file found, judged and judged right, the false contradictions, the claims made up and the
// findings that are no problem of the text; then the totals. Runs the CLI as a user would, on the model.
//   npm run corpus:score [-- SLUG...] [--markdown] [--verbose] [--json FILE] [-- DOCS-CHECK OPTIONS]
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { score, type Score, type ToolClaim, type ToolFinding } from './corpus/score.ts';
import { readTruth } from './corpus/truth.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const CORPUS = path.join(REPO, 'tutorials/corpus');

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split < 0 ? argv : argv.slice(0, split);
const passed = split < 0 ? [] : argv.slice(split + 1);
const flag = (name: string) => own.includes(name);
const jsonAt = own.indexOf('--json');
const jsonFile = jsonAt < 0 ? undefined : own[jsonAt + 1];
const slugs = own.filter((a, i) => !a.startsWith('--') && own[i - 1] !== '--json');

const all = (await readdir(CORPUS, { withFileTypes: true }))
  .filter((d) => d.isDirectory() && existsSync(path.join(CORPUS, d.name, 'truth.yaml')))
  .map((d) => d.name)
  .sort();
const unknown = slugs.filter((s) => !all.includes(s));
if (unknown.length) {
  console.error(`not in the corpus: ${unknown.join(', ')}`);
  process.exit(2);
}
const chosen = slugs.length ? slugs : all;

interface Row {
  slug: string;
  /** The truth's claims: an error leaves them all unfound. */
  claims: number;
  score?: Score;
  error?: string;
}

const work = await mkdtemp(path.join(os.tmpdir(), 'corpus-'));
const limit = pLimit(Math.max(1, Math.min(4, os.availableParallelism())));
const rows: Row[] = await Promise.all(chosen.map((slug) => limit(() => one(slug))));
await rm(work, { recursive: true, force: true });

async function one(slug: string): Promise<Row> {
  const dir = path.join(CORPUS, slug);
  const truth = await readTruth(dir);
  const out = path.join(work, `${slug}.json`);
  // Offline, with a cache of its own: the score is the same on every machine, with or without a network (what a
  // tutorial applies from a URL is in its docs config's files, or the claims after it are not checkable).
  const args = ['docs', 'check', truth.target, '--json', out, '--offline', ...(truth.config ? ['--config', truth.config] : []), ...passed];
  const env = { NO_COLOR: '1', GITHUB_STEP_SUMMARY: undefined, XDG_CACHE_HOME: path.join(work, 'cache') };
  const r = await execa(process.execPath, [path.join(REPO, 'bin/netpol-e2e.js'), ...args], { cwd: REPO, reject: false, env });
  if (!existsSync(out)) return { slug, claims: truth.claims.length, error: `exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ')}` };
  const report = JSON.parse(await readFile(out, 'utf8')) as { tutorials: { claims: ToolClaim[]; findings: ToolFinding[] }[] };
  const t = report.tutorials[0]!;
  return { slug, claims: truth.claims.length, score: score(truth, t, REPO) };
}

const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)} %` : '–');
const sum = (key: 'found' | 'judged' | 'correct' | 'problems' | 'problemsFound') => rows.reduce((n, r) => n + (r.score?.[key] ?? 0), 0);
const notes = rows.reduce((n, r) => n + (r.score?.notes ?? 0), 0);
const count = (key: 'falseContradictions' | 'missedContradictions' | 'extra' | 'notProblems') => rows.reduce((n, r) => n + (r.score?.[key].length ?? 0), 0);
const claims = rows.reduce((n, r) => n + r.claims, 0);
const totals = {
  tutorials: rows.length,
  failed: rows.filter((r) => r.error).length,
  claims,
  found: sum('found'),
  judged: sum('judged'),
  correct: sum('correct'),
  falseContradictions: count('falseContradictions'),
  missedContradictions: count('missedContradictions'),
  extra: count('extra'),
  notProblems: count('notProblems'),
  notes,
  problems: sum('problems'),
  problemsFound: sum('problemsFound'),
};

const header = ['tutorial', 'claims', 'found', 'judged', 'correct', 'false contradictions', 'missed contradictions', 'made-up claims', 'findings not problems', 'warnings'];
const cells = (r: Row) =>
  r.score
    ? [r.slug, r.score.claims, r.score.found, r.score.judged, r.score.correct, r.score.falseContradictions.length, r.score.missedContradictions.length, r.score.extra.length, r.score.notProblems.length, r.score.notes].map(String)
    : [r.slug, String(r.claims), `error: ${r.error}`, '', '', '', '', '', '', ''];
const total = [
  '**all**',
  claims,
  `${totals.found} (${pct(totals.found, claims)})`,
  `${totals.judged} (${pct(totals.judged, claims)})`,
  `${totals.correct} (${pct(totals.correct, totals.judged)} of judged)`,
  totals.falseContradictions,
  totals.missedContradictions,
  totals.extra,
  totals.notProblems,
  totals.notes,
].map(String);

if (flag('--markdown')) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cells(r).join(' | ')} |`);
  console.log(`| ${total.join(' | ')} |`);
} else {
  const table = [header, ...rows.map(cells), total.map((c) => c.replaceAll('**', ''))];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    console.log(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}
if (flag('--verbose')) {
  for (const r of rows.filter((x) => x.score)) {
    const s = r.score!;
    const rel = (f: string) => path.relative(path.join(CORPUS, r.slug), f);
    const lines = [
      ...s.falseContradictions.map((m) => `  FALSE CONTRADICTION ${rel(m.truth.file!)}:${m.truth.line} (${m.truth.says}): ${m.tool.why ?? ''}`),
      ...s.missedContradictions.map((m) => `  missed contradiction ${rel(m.truth.file!)}:${m.truth.line} (${m.truth.says}): ${m.truth.reason}`),
      ...s.missed.map((t) => `  not found ${rel(t.file!)}:${t.line} [${t.kind}] ${t.says}`),
      ...s.extra.map((c) => `  made up ${path.relative(REPO, c.file)}:${c.line} (${c.verdict})`),
      ...s.notProblems.map((f) => `  finding not a problem ${path.relative(REPO, f.file)}:${f.line} ${f.rule}: ${f.message}`),
    ];
    if (lines.length) console.log(`\n${r.slug}\n${lines.join('\n')}`);
  }
}
if (flag('--verbose')) {
  // Why found claims were not judged, by the reason's first words (a reason names its pod, image or line after them).
  const reasons = new Map<string, number>();
  for (const m of rows.flatMap((r) => r.score?.unjudged ?? [])) {
    const key = (m.tool.why ?? '')
      .replace(/[:(].*$/, '')
      .trim()
      .split(/\s+/)
      .slice(0, 8)
      .join(' ');
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  console.log('\nfound but not judged, by reason:');
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${reason}`);
}
if (jsonFile) await writeFile(jsonFile, `${JSON.stringify({ totals, tutorials: rows }, null, 2)}\n`);
process.exitCode = totals.failed ? 1 : 0;
