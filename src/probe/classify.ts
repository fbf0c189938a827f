// The one place where a probe's exit code and stderr become an outcome. For curl: exit code first, message second;
// wording differs between curl versions (see docs/outcomes.md), so messages are matched loosely. For agnhost
// connect: exit 1 with a fixed prefix (TIMEOUT, REFUSED, DNS, OTHER, UNKNOWN) that says what failed.
import { AGNHOST } from './command.ts';
import type { Observation } from './outcome.ts';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Classification extends Observation {
  /** Why this outcome, for reports; includes the unrecognised message when the outcome is exec-error. */
  reason: string;
}

const STATUS_LINE = /^HTTP\/[\d.]+ (\d{3})/m;

export function classifyCurl(result: ExecResult): Classification {
  const message =
    result.stderr
      .trim()
      .split('\n')
      .find((line) => line.startsWith('curl: (')) ?? result.stderr.trim();
  switch (result.exitCode) {
    case 0: {
      const status = STATUS_LINE.exec(result.stdout)?.[1];
      return status ? { outcome: 'ok', status: Number(status), reason: `HTTP ${status}` } : { outcome: 'ok', reason: 'connected, no HTTP status line' };
    }
    case 6:
      return { outcome: 'dns-error', reason: message };
    case 7:
      // Without --connect-timeout the kernel's own SYN timeout ends in exit 7 too.
      return /timed out/i.test(message) ? { outcome: 'connect-timeout', reason: message } : { outcome: 'refused', reason: message };
    case 28:
      if (/resolv/i.test(message)) return { outcome: 'dns-timeout', reason: message };
      if (/connect|Connection timed out|Timeout was reached/i.test(message)) return { outcome: 'connect-timeout', reason: message };
      return { outcome: 'exec-error', reason: `timed out after connecting, not a connectivity verdict: ${message}` };
    case 35:
      return { outcome: 'tls-error', reason: message };
    default:
      return { outcome: 'exec-error', reason: `curl exit ${result.exitCode}: ${message || 'no message'}` };
  }
}

export function classifyConnect(result: ExecResult): Classification {
  const message = result.stderr.trim().split('\n')[0] ?? '';
  if (result.exitCode === 0) return { outcome: 'ok', reason: 'connected' };
  if (result.exitCode !== 1) return { outcome: 'exec-error', reason: `agnhost exit ${result.exitCode}: ${message || 'no message'}` };
  if (message.startsWith('TIMEOUT')) return { outcome: 'connect-timeout', reason: message };
  if (message.startsWith('REFUSED')) return { outcome: 'refused', reason: message };
  // Go's resolver: "no such host" (NXDOMAIN), "server misbehaving" (REFUSED, SERVFAIL), "i/o timeout" (no answer).
  if (message.startsWith('DNS:')) return /timeout/i.test(message) ? { outcome: 'dns-timeout', reason: message } : { outcome: 'dns-error', reason: message };
  // SCTP reports a refusal (an ABORT answering the INIT) as OTHER.
  if (message.startsWith('OTHER:') && /connection refused/i.test(message)) return { outcome: 'refused', reason: message };
  return { outcome: 'exec-error', reason: message || 'agnhost connect failed without a message' };
}

/**
 * `ping -c 1`, busybox or iputils (wordings captured by test/support/client-lab): exit 0 on a reply; exit 1 and
 * "100% packet loss" when none came; a failed lookup is busybox's "bad address" (whatever failed: dns-error) or
 * iputils' exit 2 with "Name or service not known" (dns-error) or "Temporary failure in name resolution" (no
 * answer, or a REFUSED one: dns-timeout).
 */
export function classifyPing(result: ExecResult): Classification {
  const message = result.stderr.trim().split('\n')[0] ?? '';
  if (result.exitCode === 0) return { outcome: 'ok', reason: 'echo reply' };
  if (/Temporary failure in name resolution/.test(message)) return { outcome: 'dns-timeout', reason: message };
  if (/bad address|Name or service not known/.test(message)) return { outcome: 'dns-error', reason: message };
  if (result.exitCode === 1 && /\b100% packet loss/.test(result.stdout)) return { outcome: 'connect-timeout', reason: 'no echo reply' };
  return { outcome: 'exec-error', reason: `ping exit ${result.exitCode}: ${message || 'no message'}` };
}

/**
 * `nslookup NAME`, bind's (9.16, 9.18) or busybox's (1.30 to 1.36), whose words the client lab captures. Not the exit
 * code: busybox 1.30 exits 0 after NXDOMAIN, and busybox 1.35 exits 1 when one search name answered and another was
 * NXDOMAIN (it asks for every search name at once). An answer is a `Name:` line; no reply at all is "no servers could
 * be reached" (bind 9.18: ";; communications error ...: timed out", then that; bind 9.16 and busybox: ";; connection
 * timed out; no servers could be reached"); an error answer is "** server can't find NAME: NXDOMAIN" (REFUSED,
 * SERVFAIL).
 */
export function classifyLookup(result: ExecResult): Classification {
  const text = `${result.stdout}\n${result.stderr}`;
  const name = /^Name:\s+(\S+)/m.exec(text)?.[1];
  if (name) return { outcome: 'ok', reason: `answered for ${name}` };
  const failure = /^\*\* server can't find (.*)$/m.exec(text)?.[0];
  if (failure) return { outcome: 'dns-error', reason: failure };
  if (/no servers could be reached/.test(text)) return { outcome: 'dns-timeout', reason: 'no servers could be reached' };
  return { outcome: 'exec-error', reason: `nslookup exit ${result.exitCode}: ${result.stderr.trim().split('\n')[0] || result.stdout.trim().split('\n')[0] || 'no message'}` };
}

/** Classifies the result of a probe command by the tool that ran it. */
export function classifyProbe(argv: readonly string[], result: ExecResult): Classification {
  if (argv[0] === 'ping') return classifyPing(result);
  if (argv[0] === 'nslookup') return classifyLookup(result);
  return argv[0] === AGNHOST ? classifyConnect(result) : classifyCurl(result);
}
