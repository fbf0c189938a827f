// npm run commits: every commit since this habit began (4cd2b98, issue 24; the history before it is as it is) has a
// subject under 72 characters and a body after a blank line that says what and why (merges apart). One line per
// finding (hash, subject, what is wrong); exit 1 when there are any, 2 when the range cannot be read (a shallow clone:
// fetch the history). Usage: check-commits.ts [--since REV] (in the repository of the current folder).
import { execa } from 'execa';

const FIRST = '4cd2b98';
const MAX_SUBJECT = 71;
/** Commits made on a branch before this check reached it, merged as they were (history is not rewritten): why each. */
const EXEMPT = new Map([['aaac074c4f07104115859e98feee5c1e19d4cbea', 'a subject of 73 characters, on the session branch before the check was merged']]);

interface Commit {
  hash: string;
  parents: number;
  message: string;
}

/**
 * What is wrong with one commit's message, in words; none when nothing is. A merge's message is its tool's (git's
 * "Merge branch 'x'", or the 92-character subject of the merge GitHub checks out for a pull request): not judged.
 */
function messageProblems(commit: Commit): string[] {
  if (commit.parents > 1 || EXEMPT.has(commit.hash)) return [];
  const [subject = '', second, ...rest] = commit.message.replace(/\n+$/, '').split('\n');
  const problems: string[] = [];
  const length = [...subject].length;
  if (length > MAX_SUBJECT) problems.push(`subject of ${length} characters (under 72: the detail goes in the body)`);
  if (second !== undefined && second.trim() !== '') problems.push('no blank line after the subject');
  else if (!rest.some((line) => line.trim() !== '')) problems.push('no body: say what changed and why');
  return problems;
}

const RECORD = '\u001e';
const FIELD = '\u001f';

async function commitsSince(since: string): Promise<Commit[]> {
  const git = (...args: string[]) => execa('git', args, { reject: false });
  const base = await git('rev-parse', '--verify', '--quiet', `${since}^{commit}`);
  if (base.exitCode !== 0) throw new Error(`${since}: no such commit here (a shallow clone? fetch the history: git fetch --unshallow, or actions/checkout with fetch-depth: 0)`);
  if ((await git('merge-base', '--is-ancestor', since, 'HEAD')).exitCode !== 0) throw new Error(`${since} is not an ancestor of HEAD`);
  // The commit itself and every one after it: what HEAD reaches and its parents do not.
  const log = await git('log', `--format=%H${FIELD}%P${FIELD}%B${RECORD}`, 'HEAD', '--not', `${since}^@`);
  if (log.exitCode !== 0) throw new Error(log.stderr);
  return log.stdout
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record !== '')
    .map((record) => {
      const [hash = '', parents = '', message = ''] = record.split(FIELD);
      return { hash, parents: parents.split(' ').filter(Boolean).length, message };
    });
}

const args = process.argv.slice(2);
const since = args.length === 0 ? FIRST : args.length === 2 && args[0] === '--since' ? args[1] : undefined;
if (since === undefined) {
  console.error('usage: check-commits.ts [--since REV]');
  process.exit(2);
}
let commits: Commit[];
try {
  commits = await commitsSince(since);
} catch (e) {
  console.error(`check-commits: ${(e as Error).message}`);
  process.exit(2);
}
let findings = 0;
for (const commit of commits) {
  for (const problem of messageProblems(commit)) {
    findings++;
    console.log(`${commit.hash.slice(0, 7)} ${commit.message.split('\n')[0]}: ${problem}`);
  }
}
console.log(`commits: ${findings ? `${findings} finding(s)` : 'no findings'} in ${commits.length} commit(s) since ${since}`);
process.exitCode = findings ? 1 : 0;
