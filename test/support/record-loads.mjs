// Preloaded with `node --import` into a CLI under test: appends the URL of every module the process resolves (static
// and dynamic imports alike) to the file NETPOL_E2E_LOADS names, so that a test can tell what a command loaded.
// Plain JavaScript, since the CLI under test runs without tsx; the hook runs on the loader's own thread.
import { register } from 'node:module';

const hook = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.NETPOL_E2E_LOADS)}, resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
