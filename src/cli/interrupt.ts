// Ctrl-C (or SIGTERM) during a command: the first stops the work within a step and lets it clean up what it
// changed (the command then exits 130); a second quits at once.
import pc from 'picocolors';

export function interruptController(): AbortController {
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(pc.yellow('\ninterrupted: cleaning up (Ctrl-C again to quit at once)\n'));
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  return controller;
}
