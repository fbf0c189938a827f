// The netpol-e2e command line, callable in-process: `runCli(argv, io)` parses the arguments, runs the command and
// returns its exit code. Exit codes: 0 every expectation holds (lint: no findings), 1 some failed (lint: findings),
// 2 bad input, 128 + the signal's number when interrupted (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
// Each command's module is imported when that command runs, so that `--version`, `--help` and a run on the model load
// neither the docs readers nor the kube backend (test/package/installed.test.ts records what each command loads).
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { InputError } from '../input/input-error.ts';
import { addClusterOptions } from './cluster-options.ts';
import { writeLine, type Io } from '../report/io.ts';
import { ownVersionText } from '../report/environment.ts';
import { inert } from '../report/inert.ts';
import { KNOWN_DIVERGENCES_FILE } from '../results/known-divergences-file.ts';
import { ownVersion } from '../session/version.ts';

/** Runs the command `argv` names (without node and the script) and returns its exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = commandLine(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    // A usage error is bad input (exit 2); --help and --version end the same way, with exit 0.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InputError) {
      writeLine(io.stderr, `${pc.red('error:')} ${inert(e.message)}`);
      return 2;
    }
    // Not the user's input: a fault of netpol-e2e or of its surroundings. One line, unless asked for the stack.
    writeLine(io.stderr, `${pc.red('error:')} ${inert((e as Error).message ?? String(e))}${io.env.NETPOL_E2E_DEBUG ? `\n${(e as Error).stack ?? ''}` : ' (NETPOL_E2E_DEBUG=1 shows where)'}`);
    return 1;
  }
}

/** Runs a command's work and keeps its exit code. */
type Runs = (command: () => Promise<number>) => Promise<void>;

/** A fresh program per call: commander keeps parsed options on its commands. */
function commandLine(io: Io, exit: (code: number) => void): Command {
  const program = new Command().name('netpol-e2e').description('Check Kubernetes network policy tutorials as probe matrices, on the embedded policy model or a cluster').version(ownVersionText(ownVersion())).showHelpAfterError();
  const runs: Runs = async (command) => exit(await command());
  addRun(program, io, runs);
  addSuiteTools(program, io, runs);
  addDocs(program, io, runs);
  addInit(program, io, runs);
  // Usage errors, --help and --version throw (runCli turns them into exit codes) under every subcommand too: commander
  // copies exitOverride and the output only into commands created after they are set, so each command gets them here.
  const output = { writeOut: (text: string) => void io.stdout.write(text), writeErr: (text: string) => void io.stderr.write(text) };
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap((c) => everyCommand(c as Command))];
  for (const command of everyCommand(program)) command.exitOverride().configureOutput(output).showHelpAfterError();
  return program;
}

/** `run`: suites on the model or a cluster. */
function addRun(program: Command, io: Io, runs: Runs): void {
  addClusterOptions(program.command('run').description('run suites (files, or folders searched for *.suite.yaml; default: suites)').argument('[paths...]', 'suite files or folders'))
    .option('--only <filter...>', 'probe only cells whose "suite / step / from -> to" contains a filter')
    .option('--json <file>', 'write the results file (docs/results-json.md)')
    .option('--known <file>', `known divergences: cells that fail on some versions for a known reason (default ${KNOWN_DIVERGENCES_FILE} where it exists)`)
    .option('--html <file>', "write one self-contained HTML report: every matrix, and each cell's explanation and evidence on click")
    .option('--junit <file>', 'write a JUnit XML file: one test case per cell, for CI test reports')
    // Not $GITHUB_STEP_SUMMARY by default, unlike docs check: a workflow that runs the tests (which start run often)
    // would fill its own summary with theirs.
    .option('--summary <file>', 'append a markdown summary of the run (a CI step summary: --summary "$GITHUB_STEP_SUMMARY")')
    .option('--annotations', 'print a GitHub error annotation at the suite line of every failed cell')
    .action(async (paths: string[], options) => {
      const { runCommand } = await import('./run-command.ts');
      await runs(() => runCommand(paths, options, io));
    });
}

/** `explain`, `lint` and `compare`: the model's reasons, a suite's likely mistakes, runs side by side. */
function addSuiteTools(program: Command, io: Io, runs: Runs): void {
  program
    .command('explain')
    .description('say, for every cell (or the ones chosen), which policy and rule allow or deny it on each side, and whom each policy selects')
    .argument('<suite>', 'suite file')
    .option('--step <step>', 'only this step: its number (1-based) or part of its name')
    .option('--cell <cell>', 'only this cell, e.g. "frontend -> backend:8080"', (v) => {
      if (!v.includes('->')) throw new InvalidArgumentError('write a cell as "source -> target"');
      return v;
    })
    .action(async (file: string, options) => {
      const { explainCommand } = await import('./explain-command.ts');
      await runs(() => explainCommand(file, options, io));
    });

  program
    .command('lint')
    .description('find policies that select no pod, rules that can never match, CIDR rules aimed at pods, steps that change nothing')
    .argument('[paths...]', 'suite files or folders (default: suites)')
    .action(async (paths: string[]) => {
      const { lintCommand } = await import('./lint-command.ts');
      await runs(() => lintCommand(paths, io));
    });

  program
    .command('compare')
    .description('put results files side by side (runs on several Cilium and Kubernetes versions): cells that differ, regressions and fixes against --baseline')
    .argument('<results...>', 'results files written by run --json')
    .option('--baseline <file>', 'the run to compare against: a cell that passed there and fails now is a regression')
    .option('--markdown <file>', 'write the table as markdown (a step summary)')
    .option('--json <file>', 'write the comparison (docs/results-json.md, "Comparing runs")')
    .option('--known <file>', `known divergences (default ${KNOWN_DIVERGENCES_FILE} where it exists)`)
    .option('--html <file>', 'write the cross-version grid as one self-contained HTML file')
    .action(async (files: string[], options: { baseline?: string; markdown?: string; json?: string; known?: string; html?: string }) => {
      const { compareCommand } = await import('./compare-command.ts');
      await runs(() => compareCommand(files, options, io));
    });
}

/** `docs extract` and `docs check`: tutorials read into suites, and their claims checked. */
function addDocs(program: Command, io: Io, runs: Runs): void {
  const docs = program.command('docs').description('read tutorials (markdown or rendered text) into suites, and check every claim they make');

  docs
    .command('extract')
    .description('write the suite a tutorial walks through: its changes, probes and the outputs it claims (to stdout, or -o)')
    .argument('<path>', 'a tutorial file, or a Hugo content folder')
    .option('-o, --output <file>', 'write the suite here instead of stdout')
    .option('--config <file>', 'docs config (default: <tutorial>.netpol-docs.yaml or netpol-docs.yaml beside it)')
    .option('--offline', 'never fetch a manifest the text applies from a URL: read it from the cache ($XDG_CACHE_HOME/netpol-e2e/manifests), else its claims are not checked')
    .action(async (target: string, options) => {
      const { docsExtractCommand } = await import('./docs-extract-command.ts');
      await runs(() => docsExtractCommand(target, options, io));
    });

  addClusterOptions(
    docs.command('check').description("run each tutorial and report every claim: holds, contradicted (with the model's explanation) or not checkable; plus lint findings").argument('<paths...>', 'tutorial files or Hugo content folders'),
  )
    .option('--config <file>', "docs config for every tutorial given (default: each one's <tutorial>.netpol-docs.yaml or netpol-docs.yaml beside it)")
    .option('--offline', 'never fetch a manifest the text applies from a URL: read it from the cache ($XDG_CACHE_HOME/netpol-e2e/manifests), else its claims are not checked')
    .option('--json <file>', 'write every claim with its verdict (docs/tutorials.md)')
    .option('--summary <file>', 'append a markdown summary (default: $GITHUB_STEP_SUMMARY when set)')
    .option('--html <file>', 'write one self-contained HTML report of the runs behind the claims')
    .option('--allow-no-claims', 'pass a tutorial in which no claim was found (by default it fails: nothing was checked)')
    .option('--annotations', 'print a GitHub error annotation at every contradicted claim and every lint finding or error')
    .action(async (targets: string[], options) => {
      const { docsCheckCommand } = await import('./docs-command.ts');
      await runs(() => docsCheckCommand(targets, options, io));
    });
}

/** `init`: a first suite, tutorial and workflow in a user's repository. */
function addInit(program: Command, io: Io, runs: Runs): void {
  program
    .command('init')
    .description('write a first suite (built-in demo app), an example tutorial with its docs config, and a GitHub workflow that runs them')
    .argument('[dir]', 'the repository to write into', '.')
    .option('--force', 'overwrite files that exist')
    .action(async (dir: string, options: { force?: boolean }) => {
      const { initCommand } = await import('./init.ts');
      await runs(() => initCommand(dir, options, io));
    });
}
