// The curl lab's scenarios: each one makes real curl end in one outcome of the vocabulary.
import type { Outcome } from '../../../src/probe/outcome.ts';

/** Reached over a veth pair inside the lab namespace whose far end drops every packet. */
export const BLACKHOLE_IP = '192.0.2.2';

// Scenarios meant to time out wait 1 s; the others get room, so that a loaded machine cannot turn them into timeouts.
const base = ['-sS', '-I', '--connect-timeout', '10', '-m', '20'];
const short = ['-sS', '-I', '--connect-timeout', '1', '-m', '5'];

export const LAB_SCENARIOS: { name: string; argv: string[]; outcome: Outcome }[] = [
  { name: 'http server answers', argv: [...base, 'http://ok.lab.test:8080/'], outcome: 'ok' },
  { name: 'nothing listens', argv: [...base, 'http://ok.lab.test:9/'], outcome: 'refused' },
  { name: 'SYN dropped', argv: [...short, 'http://blackhole.lab.test:80/'], outcome: 'connect-timeout' },
  { name: 'DNS query dropped', argv: [...short, 'http://dropped.lab.test:8080/'], outcome: 'dns-timeout' },
  { name: 'NXDOMAIN', argv: [...base, 'http://missing.lab.test:8080/'], outcome: 'dns-error' },
  { name: 'DNS REFUSED (glibc resolver)', argv: [...base, 'http://refused.lab.test:8080/'], outcome: 'dns-error' },
  { name: 'connection reset during TLS', argv: [...base, '-k', 'https://ok.lab.test:8443/'], outcome: 'tls-error' },
];
