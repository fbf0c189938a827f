#!/usr/bin/env node
// Stands in for curl inside a "pod" of the model-backed API server: asks the server what the policy model says
// this pod's curl would print, prints it, and exits with curl's exit code.
const response = await fetch(process.env.NETPOL_FAKE_PROBE_URL, {
  method: 'POST',
  body: JSON.stringify({ pod: process.env.NETPOL_FAKE_POD, argv: ['curl', ...process.argv.slice(2)] }),
});
const { exitCode, stdout, stderr } = await response.json();
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = exitCode;
