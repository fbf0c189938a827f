// The curl lab's scenarios: each one makes real curl, run with the harness's own probe command, end in one outcome
// of the vocabulary.
import { buildProbeArgv } from '../../../src/probe/command.ts';
import type { Outcome } from '../../../src/probe/outcome.ts';

/** Reached over a veth pair inside the lab namespace whose far end drops every packet. */
export const BLACKHOLE_IP = '192.0.2.2';

// Scenarios meant to time out wait 1 s; the others get room, so that a loaded machine cannot turn them into timeouts.
const probe = (url: string, timeout: 'short' | 'long' = 'long') =>
  buildProbeArgv({ tool: 'curl', url, method: 'GET', connectTimeoutSeconds: timeout === 'short' ? 1 : 10, maxTimeSeconds: timeout === 'short' ? 5 : 20 }).slice(1);

export const LAB_SCENARIOS: { name: string; argv: string[]; outcome: Outcome; status?: number }[] = [
  { name: 'http server answers', argv: probe('http://ok.lab.test:8080/'), outcome: 'ok', status: 200 },
  { name: 'proxy answers 403 Access denied', argv: probe('http://ok.lab.test:8080/private'), outcome: 'ok', status: 403 },
  { name: 'nothing listens', argv: probe('http://ok.lab.test:9/'), outcome: 'refused' },
  { name: 'SYN dropped', argv: probe('http://blackhole.lab.test:80/', 'short'), outcome: 'connect-timeout' },
  { name: 'DNS query dropped', argv: probe('http://dropped.lab.test:8080/', 'short'), outcome: 'dns-timeout' },
  { name: 'NXDOMAIN', argv: probe('http://missing.lab.test:8080/'), outcome: 'dns-error' },
  { name: 'DNS REFUSED (glibc resolver)', argv: probe('http://refused.lab.test:8080/'), outcome: 'dns-error' },
  { name: 'connection reset during TLS', argv: probe('https://ok.lab.test:8443/'), outcome: 'tls-error' },
];
