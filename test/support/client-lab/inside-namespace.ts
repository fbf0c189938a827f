// Runs inside the lab's network namespace: starts loopback servers, runs real curl against each
// scenario and prints the observations as JSON. Every address used lives in this namespace. With the argument
// `lookups` it runs the name lookups instead (lab.ts gives them a pod's resolv.conf first).
import { mkdtemp, symlink } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { startDnsResponder } from './dns-responder.ts';
import { BLACKHOLE_IP, CLIENT_SCENARIOS, LAB_SCENARIOS, LOOKUP_SCENARIOS, PING_SCENARIOS } from './scenarios.ts';

if (process.argv[2] === 'lookups') {
  const cluster = await startDnsResponder('127.0.0.1', 53, {
    'hostnames.default.svc.cluster.local': { a: '10.96.0.20' },
    'refused.default.svc.cluster.local': { rcode: 'REFUSED' },
    'servfail.default.svc.cluster.local': { rcode: 'SERVFAIL' },
    'dropped.*': 'drop',
  });
  const bin = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-busybox-'));
  await symlink('/usr/bin/busybox', path.join(bin, 'nslookup'));
  const results = [];
  for (const scenario of LOOKUP_SCENARIOS) {
    const [program, ...args] = scenario.argv;
    const run = await execa(program === 'nslookup' ? path.join(bin, 'nslookup') : program!, args, { reject: false, timeout: 30_000, stdin: 'ignore' });
    results.push({ name: scenario.name, argv: scenario.argv, exitCode: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr });
  }
  process.stdout.write(JSON.stringify(results));
  cluster.close();
  process.exit(0);
}

const dns = await startDnsResponder('127.0.0.1', 53, {
  'ok.lab.test': { a: '127.0.0.1' },
  'blackhole.lab.test': { a: BLACKHOLE_IP },
  'refused.lab.test': { rcode: 'REFUSED' },
  'missing.lab.test': { rcode: 'NXDOMAIN' },
  'dropped.lab.test': 'drop',
});
// /private answers as Cilium's HTTP proxy does for a request no L7 rule allows.
const web = http.createServer((req, res) => (req.url === '/private' ? res.writeHead(403).end('Access denied\r\n') : res.writeHead(200).end('ok')));
await new Promise<void>((resolve) => web.listen(8080, '127.0.0.1', resolve));
// Accepts, reads the ClientHello, then resets: what a TLS client sees when a policy proxy tears the connection down.
// Resetting only after the client's first bytes makes the outcome independent of timing: a reset sent at accept
// could reach curl before it saw its own connect complete, and curl then reports a refused connection (exit 7).
const resetter = net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
await new Promise<void>((resolve) => resetter.listen(8443, '127.0.0.1', resolve));

const results = [];
for (const scenario of LAB_SCENARIOS) {
  const run = await execa('curl', scenario.argv, { reject: false, timeout: 30_000 });
  results.push({ name: scenario.name, argv: scenario.argv, exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr });
}
// busybox applets by name, as in a busybox image. stdin is /dev/null: Debian's busybox wget crashes on a closed stdin.
const bin = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-busybox-'));
for (const applet of ['wget', 'nc', 'ping']) await symlink('/usr/bin/busybox', path.join(bin, applet));
for (const scenario of CLIENT_SCENARIOS) {
  const program = scenario.program.includes('/') ? scenario.program : ['wget', 'nc'].includes(scenario.program) ? path.join(bin, scenario.program) : scenario.program;
  const run = await execa(program, scenario.args, { reject: false, timeout: 30_000, stdin: 'ignore' });
  results.push({ name: scenario.name, argv: [scenario.program, ...scenario.args], exitCode: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr });
}
for (const scenario of PING_SCENARIOS) {
  const [program, ...args] = scenario.argv;
  const run = await execa(program === 'ping' ? path.join(bin, 'ping') : program!, args, { reject: false, timeout: 30_000, stdin: 'ignore' });
  results.push({ name: scenario.name, argv: scenario.argv, exitCode: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr });
}
process.stdout.write(JSON.stringify(results));
dns.close();
web.close();
resetter.close();
