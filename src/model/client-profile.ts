// What a client image does with each outcome: how its resolver treats a REFUSED answer, and how its curl words
// the failure. Wording per docs/outcomes.md: the labs' Alpine images run an old curl 7.x; curl 7.88 is Debian 12's.
import type { ExecResult } from '../probe/classify.ts';
import type { Outcome } from '../probe/outcome.ts';

export interface ClientProfile {
  /** musl ignores REFUSED and retries until its timeout (dns-timeout); glibc gives up at once (dns-error). */
  libc: 'musl' | 'glibc';
  curl: 'legacy-7' | '7.88';
}

const PROFILES: { image: RegExp; profile: ClientProfile }[] = [
  { image: /(^|\/)byrnedo\/alpine-curl(:|$)/, profile: { libc: 'musl', curl: 'legacy-7' } },
  { image: /(^|\/)cilium\/json-mock(:|$)/, profile: { libc: 'musl', curl: 'legacy-7' } },
];
const DEFAULT_PROFILE: ClientProfile = { libc: 'glibc', curl: '7.88' };

export function profileForImage(image: string): ClientProfile {
  return PROFILES.find((p) => p.image.test(image))?.profile ?? DEFAULT_PROFILE;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 403: 'Forbidden', 404: 'Not Found' };

export interface CurlFacts {
  host: string;
  port: number;
  connectTimeoutMs: number;
  status?: number;
  http2?: boolean;
}

/** What `curl -sS -I` prints for an outcome, as this client's curl would print it. */
export function renderCurl(profile: ClientProfile, outcome: Exclude<Outcome, 'exec-error'>, facts: CurlFacts): ExecResult {
  const legacy = profile.curl === 'legacy-7';
  const fail = (code: number, message: string): ExecResult => ({ exitCode: code, stdout: '', stderr: `curl: (${code}) ${message}\n` });
  switch (outcome) {
    case 'ok': {
      const status = facts.status ?? 200;
      const line = facts.http2 ? `HTTP/2 ${status} ` : `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}`.trimEnd();
      return { exitCode: 0, stdout: `${line}\r\ncontent-type: text/html\r\n\r\n`, stderr: '' };
    }
    case 'connect-timeout':
      return fail(
        28,
        legacy
          ? `Connection timed out after ${facts.connectTimeoutMs + 1} milliseconds`
          : `Failed to connect to ${facts.host} port ${facts.port} after ${facts.connectTimeoutMs} ms: Timeout was reached`,
      );
    case 'dns-timeout':
      return fail(28, `Resolving timed out after ${facts.connectTimeoutMs} milliseconds`);
    case 'dns-error':
      return fail(6, `Could not resolve host: ${facts.host}`);
    case 'refused':
      return fail(
        7,
        legacy
          ? `Failed to connect to ${facts.host} port ${facts.port}: Connection refused`
          : `Failed to connect to ${facts.host} port ${facts.port} after 1 ms: Couldn't connect to server`,
      );
    case 'tls-error':
      return fail(35, 'Send failure: Connection reset by peer');
  }
}
