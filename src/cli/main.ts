// The netpol-e2e binary: the command line (program.ts) on the process's own streams, environment and signals.
import pc from 'picocolors';
import { inert } from '../report/inert.ts';
import { processIo } from '../report/io.ts';
import { runCli } from './program.ts';

// A reader that stops reading (`| head`), or a terminal that is gone (SIGHUP: EIO), is no failure: the rest of the
// output is dropped, and a cluster run still goes on to its end, so that whatever it changed is undone. Output that
// cannot be written for another reason (a full disk: `>/dev/full` is ENOSPC) is said in one line, not a stack trace;
// the run still goes on to its end, and ends in exit 1 unless it had a worse code of its own.
let lostOutput = false;
for (const [stream, name] of [
  [process.stdout, 'standard output'],
  [process.stderr, 'standard error'],
] as const) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'EIO' || lostOutput) return;
    lostOutput = true;
    if (stream !== process.stderr) process.stderr.write(`${pc.red('error:')} cannot write to ${name}: ${inert(e.message)}; the rest of the output is lost\n`);
  });
}
process.on('exit', () => {
  if (lostOutput && !process.exitCode) process.exitCode = 1;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
