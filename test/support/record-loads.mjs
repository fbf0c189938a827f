// Preloaded with `node --import` into a CLI under test: appends the URL of every module the process resolves (static
// and dynamic imports alike) to the file NETPOL_E2E_LOADS names, and `unresolved <specifier>` for one it tries and
// does not find (a package that is not installed, in a try or not), so that a test can tell what a command loaded.
// Plain JavaScript, since the CLI under test runs without tsx; the hook runs on the loader's own thread.
import { register } from 'node:module';

const hook = `
import { appendFileSync } from 'node:fs';
const loads = ${JSON.stringify(process.env.NETPOL_E2E_LOADS)};
export async function resolve(specifier, context, next) {
  try {
    const resolved = await next(specifier, context);
    appendFileSync(loads, resolved.url + '\\n');
    return resolved;
  } catch (error) {
    appendFileSync(loads, 'unresolved ' + specifier + '\\n');
    throw error;
  }
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
