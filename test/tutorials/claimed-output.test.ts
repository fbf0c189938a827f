import { describe, expect, it } from 'vitest';
import { classifyClaimedOutput, outputSections, printedBy, WORDING_EXAMPLES } from '../../src/tutorials/read/claimed-output.ts';
import { probeCall } from '../../src/tutorials/read/probe-commands.ts';
import { parseExpectation, type Observation } from '../../src/probe/outcome.ts';
import { captured, readCaptures } from '../support/client-lab/captures.ts';
import { claimOf, lines, shown } from '../support/client-lab/reading.ts';
import { CLIENT_SCENARIOS, LAB_SCENARIOS, LOOKUP_SCENARIOS, PING_SCENARIOS } from '../support/client-lab/scenarios.ts';

describe('claimed output as tutorials print it', () => {
  it.each([
    ['HTTP/1.1 200 OK\nX-Powered-By: Express', { outcome: 'ok', status: 200 }],
    ['HTTP/2 200 ', { outcome: 'ok', status: 200 }],
    ['HTTP/1.1 301 Moved Permanently', { outcome: 'ok', status: 301 }],
    ['curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28', { outcome: 'connect-timeout' }],
    ['curl: (28) Resolving timed out after 5000 milliseconds\ncommand terminated with exit code 28', { outcome: 'dns-timeout' }],
    ['curl: (6) Could not resolve host: backend', { outcome: 'dns-error' }],
    ['command terminated with exit code 28', { outcome: 'denied' }],
  ])('%j', (text, expect_) => {
    expect(classifyClaimedOutput(lines(text))).toMatchObject({ expect: expect_ });
  });

  it('says why an output is no claim', () => {
    expect(classifyClaimedOutput(lines('NAME   READY\ncilium-x 1/1'))).toEqual({ why: expect.stringMatching(/says nothing about connectivity/) });
    expect(classifyClaimedOutput(lines('HTTP/1.1 200 OK\ncommand terminated with exit code 28'))).toEqual({ why: expect.stringMatching(/both an HTTP status and a failure/) });
    expect(classifyClaimedOutput(lines('curl: (3) URL using bad/illegal format'))).toEqual({ why: expect.stringMatching(/not a connectivity verdict/) });
  });

  it('gives one line to each probe when each prints one line, and otherwise splits at blank lines', () => {
    const codes = lines('200\n000', 30);
    expect(outputSections(codes, 2, true).map((s) => s.lines.map((l) => l.line))).toEqual([[30], [31]]);
    expect(outputSections(codes, 2)).toHaveLength(1);
    expect(outputSections(lines('HTTP/1.1 200 OK\nServer: x\n\nHTTP/1.1 403 Forbidden'), 2, true).map((s) => s.lines.length)).toEqual([2, 1]);
  });

  it('splits commented sections and keeps their lines', () => {
    const sections = outputSections(lines('# Frontend\nHTTP/1.1 200 OK\n\n# Not Frontend\ncurl: (28) Connection timed out', 65));
    expect(sections.map((s) => [s.title, s.lines.find((l) => l.text)?.line])).toEqual([
      ['Frontend', 66],
      ['Not Frontend', 69],
    ]);
  });
});

// Alpine's busybox (busybox and alpine images) prints what Debian's build cannot: nc_bloaty's -v lines and musl's
// "Operation timed out". The outputs are as public tutorials show them (GitHub files found with the search tools:
// an Opflex CNI network policy walkthrough's test.sh output; a KodeKloud CKAD mock exam write-up; a busybox wget of
// a Service in a Kubernetes networking lab; a NetworkPolicy tutorial's `wget --timeout=5` from namespace k1).
describe('Alpine busybox output as tutorials show it', () => {
  const nc = probeCall(['nc', '-v', '-z', '-w', '2', 'secure-service', '80']);
  const wget = probeCall(['wget', '--timeout=5', '10.0.0.101:80']);
  it.each([
    ['hostnames-svc.default (10.106.211.186:80) open', nc, { expect: { outcome: 'ok' }, variant: 'busybox-nc-110' }],
    ['nc: hostnames-svc.default (10.106.211.186:80): Operation timed out\ncommand terminated with exit code 1', nc, { expect: { outcome: 'connect-timeout' }, variant: 'busybox-nc-110' }],
    ['nc: secure-service (10.108.77.186:80): Operation timed out', nc, { expect: { outcome: 'connect-timeout' }, variant: 'busybox-nc-110' }],
    ["nc: bad address 'secure-pod'", nc, { expect: { outcome: 'dns-failure' } }],
    [
      "Connecting to 10.0.0.101:80 (10.0.0.101:80)\nsaving to 'index.html'\nindex.html           100% |********************************|   615  0:00:00 ETA\n'index.html' saved",
      wget,
      { expect: { outcome: 'ok', below: 400 }, variant: 'busybox-wget' },
    ],
    [
      "Connecting to webserver (10.102.70.69:80)\nsaving to 'index.html'\nindex.html           100% |***************|   615  0:00:00 ETA\n'index.html' saved\npod \"tmp\" deleted",
      wget,
      { expect: { outcome: 'ok', below: 400 }, variant: 'busybox-wget' },
    ],
    ['Connecting to 10.0.0.101:80 (10.0.0.101:80)\nwget: download timed out\ncommand terminated with exit code 1', wget, { expect: { outcome: 'connect-timeout' }, variant: 'busybox-wget' }],
    ["wget: can't connect to remote host (10.0.0.101): Operation timed out", wget, { expect: { outcome: 'connect-timeout' }, variant: 'busybox-wget' }],
  ])('%j', (text, call, claim) => {
    expect(classifyClaimedOutput(lines(text), call)).toMatchObject(claim);
  });

  // The same wordings in the corpus's real tutorials, at their lines.
  it.each([
    // tutorials/corpus/workshop-aks-labs-acns/docs/networking/acns-lab.md:216 (Azure-Samples/aks-labs d1487a72): wget --spider.
    ['Connecting to www.bing.com (13.107.21.237:80)\nremote file exists', probeCall(['wget', '--spider', 'www.bing.com']), { expect: { outcome: 'ok' } }],
    // acns-lab.md:229: Alpine's nc -v.
    ['product-service (10.0.96.101:3002) open', probeCall(['nc', '-zv', '-w2', 'product-service', '3002']), { expect: { outcome: 'ok' }, variant: 'busybox-nc-110' }],
    // acns-lab.md:288, and tutorials/corpus/calico-quickstart/.../quickstart.mdx:331 (tigera/docs f2a27624).
    ["nc: bad address 'product-service'", probeCall(['nc', '-zv', '-w2', 'product-service', '3002']), { expect: { outcome: 'dns-failure' } }],
    ["wget: bad address 'nginx'", probeCall(['wget', '-qO-', 'http://nginx']), { expect: { outcome: 'dns-failure' } }],
  ])('corpus: %j', (text, call, claim) => {
    expect(classifyClaimedOutput(lines(text), call)).toMatchObject(claim);
  });

  it("reads the status within curl's -w text, and a plain curl's body as an answer of any status", () => {
    // tutorials/corpus/cilium-istio/Documentation/network/servicemesh/istio.rst:92 and :98 (cilium/cilium 9f764f97).
    const writes = probeCall(['curl', 'http://httpbin.blue/ip', '-s', '-o', '/dev/null', '-m', '1', '-w', "client 'green' to server 'blue': %{http_code}\\n"]);
    expect(classifyClaimedOutput(lines("client 'green' to server 'blue': 200"), writes)).toMatchObject({ expect: { outcome: 'ok', status: 200 } });
    expect(classifyClaimedOutput(lines("client 'green' to server 'red': 503"), writes)).toEqual({ why: expect.stringMatching(/neither an HTTP status/) });
    // tutorials/corpus/aws-eks-workshop-netpol/.../network-policies/setup.md:15-16 (aws-samples/eks-workshop-v2 bb1b3000):
    // plain curl prints the body of any status (a 404 page, a 503's panic), so a body is an answer of some status;
    // only with --fail is it one below 400.
    const body = lines('{"status":"ok","info":{},"error":{},"details":{}}');
    expect(classifyClaimedOutput(body, probeCall(['curl', '-s', 'http://checkout.checkout/health']))).toMatchObject({ expect: { outcome: 'ok' } });
    expect(classifyClaimedOutput(body, probeCall(['curl', '-s', 'http://checkout.checkout/health']))).not.toMatchObject({ expect: { below: 400 } });
    expect(classifyClaimedOutput(body, probeCall(['curl', '-sf', 'http://checkout.checkout/health']))).toMatchObject({ expect: { outcome: 'ok', below: 400 } });
    expect(classifyClaimedOutput(body, probeCall(['wget', '-qO-', 'http://checkout.checkout/health']))).toMatchObject({ expect: { outcome: 'ok', below: 400 } });
  });

  it("reads the status of curl -v's trace", () => {
    // tutorials/corpus/aws-eks-automode-netpol/.../network-policies/ingress.md:15-24 (aws-samples/eks-workshop-v2 bb1b3000).
    const trace = '   Trying XXX.XXX.XXX.XXX:80...\n* Connected to catalog.catalog (XXX.XXX.XXX.XXX) port 80 (#0)\n> GET /health HTTP/1.1\n> Host: catalog.catalog\n> User-Agent: curl/7.88.1\n> Accept: */*\n>\n< HTTP/1.1 200 OK\n...';
    expect(classifyClaimedOutput(lines(trace), probeCall(['curl', '-v', 'catalog.catalog/health', '--connect-timeout', '5']))).toMatchObject({ expect: { outcome: 'ok', status: 200 } });
  });

  it('takes a download that started and then timed out for the timeout, not for a success', () => {
    expect(classifyClaimedOutput(lines("Connecting to web (10.96.0.10:80)\nsaving to 'index.html'\nindex.html            42% |*****        |   256  --:--:-- ETA\nwget: download timed out"), wget)).toMatchObject({
      expect: { outcome: 'connect-timeout' },
    });
  });

  it("tells a contradiction in Alpine nc's words", () => {
    expect(printedBy('busybox-nc-110', { outcome: 'connect-timeout' }, { host: 'web', ip: '10.96.0.7', port: 80 })).toBe('nc: web (10.96.0.7:80): Operation timed out');
    expect(printedBy('busybox-nc-110', { outcome: 'dns-error' }, { host: 'web', ip: '10.96.0.7', port: 80 })).toBe("nc: bad address 'web'");
  });
});

describe("claimed output made of real curl output (the client lab's captures)", async () => {
  const captures = await readCaptures();
  // What a reader sees after kubectl exec: curl's status line or error, then kubectl's exit code line.
  for (const scenario of LAB_SCENARIOS) {
    it(`${scenario.name}: reads as ${scenario.outcome}`, () => {
      const o = captured(captures, scenario.name);
      expect(claimOf(scenario.name, o), shown(scenario.name, o)).toMatchObject({ expect: { outcome: scenario.outcome, ...(scenario.status && { status: scenario.status }) } });
    });
  }
});

describe("what every other client prints, read as a claim (the client lab's captures of real programs)", async () => {
  const captures = await readCaptures();
  // The reader sees stdout and stderr interleaved, then kubectl's exit code line.
  for (const scenario of CLIENT_SCENARIOS) {
    it(`${scenario.name}: reads as ${scenario.expect} in ${scenario.variant}'s words`, () => {
      const o = captured(captures, scenario.name);
      expect(o.exitCode, `${scenario.program} did not run: ${o.stderr}`).not.toBe(-1);
      const claimed = claimOf(scenario.name, o);
      expect(claimed, shown(scenario.name, o)).toMatchObject({ expect: parseExpectation(scenario.expect) });
      // A client's own words say whose they are, so that a contradiction can be told in them.
      if ('variant' in claimed && claimed.variant) expect(claimed.variant).toBe(scenario.variant);
    });
  }
});

describe("what ping prints, read as a claim (the client lab's captures of busybox and iputils ping)", async () => {
  const captures = await readCaptures();
  for (const scenario of PING_SCENARIOS) {
    // busybox says "bad address" for every failed lookup: its claim can only be a DNS failure.
    const expected = scenario.variant === 'busybox' && scenario.outcome.startsWith('dns-') ? 'dns-failure' : scenario.outcome;
    it(`${scenario.name}: reads as ${expected} in ${scenario.variant} ping's words`, () => {
      const o = captured(captures, scenario.name);
      expect(claimOf(scenario.name, o), shown(scenario.name, o)).toMatchObject({ expect: { outcome: expected }, variant: `${scenario.variant}-ping` });
    });
  }

  it('reads ping commands as tutorials write them', () => {
    expect(probeCall(['ping', '-c', '3', '-W', '2', '10.0.1.7'])).toEqual({ client: 'ping', url: 'icmp://10.0.1.7', method: 'GET', connectTimeout: 2, prints: 'exists' });
    expect(probeCall(['ping', '-c3', '-w5', '$BACKEND_IP'])).toMatchObject({ url: 'icmp://$BACKEND_IP', connectTimeout: 5 });
    expect(probeCall(['/bin/ping', '-q', '-c', '1', 'backend'])).toMatchObject({ url: 'icmp://backend' });
    expect(probeCall(['ping', '-6', '-c', '1', 'fd00::1'])).toBeUndefined();
    expect(probeCall(['ping', '-c', '1'])).toBeUndefined();
  });
});

describe('the wording table', () => {
  it('reads every example back as the outcome it stands for, in its own variant', () => {
    for (const { variant, example } of WORDING_EXAMPLES) {
      const lookups: Record<string, string[]> = { nslookup: ['nslookup', 'h'], 'busybox-nslookup-small': ['nslookup', 'h'], dig: ['dig', 'h'], host: ['host', 'h'], getent: ['getent', 'hosts', 'h'] };
      const call = /-nc\b/.test(variant)
        ? probeCall(['nc', '-zv', 'h', '1'])
        : variant.endsWith('-wget')
          ? probeCall(['wget', '-qO-', 'h'])
          : variant.endsWith('-ping')
            ? probeCall(['ping', '-c', '1', 'h'])
            : lookups[variant] && probeCall(lookups[variant]);
      const claimed = classifyClaimedOutput(lines(example), call);
      expect(claimed, example).toMatchObject({ variant });
      const observed = {
        outcome: 'expect' in claimed && claimed.expect.outcome === 'dns-failure' ? 'dns-error' : (claimed as { expect: { outcome: string } }).expect.outcome,
        status: (claimed as { expect: { status?: number } }).expect.status,
      } as Observation;
      // What the variant prints for that outcome reads back as the same claim (several lines may say one outcome).
      if (observed.outcome !== 'ok' || observed.status !== undefined) expect(classifyClaimedOutput(lines(printedBy(variant, observed)!), call), example).toMatchObject({ expect: (claimed as { expect: object }).expect, variant });
    }
  });

  it('says what a client would have printed for what the probe observed', () => {
    expect(printedBy('busybox-wget', { outcome: 'connect-timeout' })).toBe('wget: download timed out');
    expect(printedBy('busybox-wget', { outcome: 'dns-timeout' }, { host: 'backend', ip: '10.96.0.7', port: 8080 })).toBe("wget: bad address 'backend'");
    expect(printedBy('openbsd-nc', { outcome: 'refused' })).toMatch(/Connection refused/);
    // busybox says "server returned error" for any status it does not take as success, never "remote file exists".
    expect(printedBy('busybox-wget', { outcome: 'ok', status: 500 })).toBe('wget: server returned error: HTTP/1.1 500');
    expect(printedBy('busybox-wget', { outcome: 'ok', status: 200 })).toBe('remote file exists');
  });
});

describe("what name lookups print, read as a claim (the client lab's captures of bind, busybox and glibc tools)", async () => {
  const captures = await readCaptures();
  // shown() puts stderr after stdout, as a terminal shows what each printed.
  for (const scenario of LOOKUP_SCENARIOS) {
    // busybox's nslookup asks for a dotted name only as written, bind's walks the search path: its NXDOMAIN for a
    // dotted name cannot say which one the text ran.
    const dotted = scenario.variant === 'busybox-nslookup' && scenario.expect !== 'ok' && /\.\w/.test(scenario.argv.at(-1)!);
    it(`${scenario.name}: ${dotted ? 'not checkable' : `reads as ${scenario.expect}`}`, () => {
      const o = captured(captures, scenario.name);
      const claimed = claimOf(scenario.name, o);
      if (dotted) expect(claimed, shown(scenario.name, o)).toMatchObject({ why: expect.stringMatching(/only as written, bind's walks the search path/) });
      else expect(claimed, shown(scenario.name, o)).toMatchObject({ expect: parseExpectation(scenario.expect) });
    });
  }
});

describe('name lookups as tutorials show them', () => {
  const nslookup = (name: string) => probeCall(['nslookup', name]);

  // k8s-debug-service (kubernetes/website debug-service.md:232-239): busybox before 1.28, "Address 1:" lines. The
  // addresses are the text's cluster's; only whether the name resolves is the claim.
  it('the Kubernetes debug-service page: "nslookup hostnames" answered, in old busybox words', () => {
    const shown = 'Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      hostnames\nAddress 1: 10.0.1.175 hostnames.default.svc.cluster.local';
    expect(classifyClaimedOutput(lines(shown), nslookup('hostnames'))).toEqual({ expect: { outcome: 'ok' }, reason: 'Name:      hostnames', variant: 'nslookup' });
  });

  // The same page, lines 331-338, and the AKS ACNS lab (acns-lab.md:753-760, "nslookup order-service").
  it('"Server: ... Name: ... Address 1: ..." is an answer, whatever addresses it shows', () => {
    const shown = 'Server:    10.0.0.10\nAddress 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.0.0.1 kubernetes.default.svc.cluster.local';
    expect(classifyClaimedOutput(lines(shown), nslookup('kubernetes.default'))).toMatchObject({ expect: { outcome: 'ok' } });
  });

  it('the failures tutorials show: NXDOMAIN, no server, old busybox\'s "can\'t resolve"', () => {
    expect(classifyClaimedOutput(lines("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find web.default: NXDOMAIN\n\ncommand terminated with exit code 1"), nslookup('web.default'))).toMatchObject({
      expect: { outcome: 'dns-error' },
      variant: 'nslookup',
    });
    expect(classifyClaimedOutput(lines(';; connection timed out; no servers could be reached\n\ncommand terminated with exit code 1'), nslookup('web'))).toMatchObject({ expect: { outcome: 'dns-timeout' } });
    expect(classifyClaimedOutput(lines("Server:    10.0.0.10\nAddress 1: 10.0.0.10\n\nnslookup: can't resolve 'web'"), nslookup('web'))).toMatchObject({ expect: { outcome: 'dns-failure' }, variant: 'busybox-nslookup-small' });
    // A dotted name's NXDOMAIN in busybox's words (":53"): busybox never searched for it, the harness's nslookup will.
    expect(classifyClaimedOutput(lines("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find kubernetes.default: NXDOMAIN"), nslookup('kubernetes.default'))).toMatchObject({
      why: expect.stringMatching(/which nslookup the text ran is not said/),
    });
  });

  it('dig, host and getent in their own words; a dig status with no answer says nothing', () => {
    expect(classifyClaimedOutput(lines('10.96.0.20'), probeCall(['dig', '+short', 'web.default.svc.cluster.local']))).toMatchObject({ expect: { outcome: 'ok' }, variant: 'dig' });
    expect(classifyClaimedOutput(lines(';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 0'), probeCall(['dig', 'web.default.svc.cluster.local']))).toMatchObject({ why: expect.any(String) });
    expect(classifyClaimedOutput(lines('Host web not found: 3(NXDOMAIN)'), probeCall(['host', 'web']))).toMatchObject({ expect: { outcome: 'dns-error' }, variant: 'host' });
    expect(classifyClaimedOutput(lines('command terminated with exit code 2'), probeCall(['getent', 'hosts', 'web']))).toMatchObject({ expect: { outcome: 'dns-failure' }, variant: 'getent' });
  });
});
