import { describe, expect, it } from 'vitest';
import { hubbleClaim, parseHubbleLine } from '../../src/tutorials/read/hubble-lines.ts';
import { parseMonitorLine } from '../../src/tutorials/read/monitor-lines.ts';

// Lines as public tutorials print them (GitHub files found with the search tools' find_string; the number is the
// file's id in that index): 39768421522 an Azure/AKS Cilium blog (testpod -> basicdeploy), 1370935774 a host
// firewall lab (world -> host:22), 61945252788 and 31204435275 Star Wars demo write-ups (to-proxy, http-request,
// http-response), 31004500441 a multi-network ICMP lab, 58274639246 a policy audit mode guide (frontend -> db),
// 53886191593 a lab that shows lines without their time and with "; Auth: SPIRE", 69520430830 hubble output from
// before hubble v0.10 printed identities, 52973747613 a flow log in hubble's JSON.
const DENIED_SYN = 'Mar 29 21:06:33.831: default/testpod:48740 (ID:2615) <> basics/basicdeploy-65ff8695df-p58zr:80 (ID:9727) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)';
const DROPPED_SYN = 'Mar 29 21:06:33.831: default/testpod:48740 (ID:2615) <> basics/basicdeploy-65ff8695df-p58zr:80 (ID:9727) Policy denied DROPPED (TCP Flags: SYN)';
const WORLD_TO_HOST = 'Aug  5 00:25:47.091: 172.18.0.1:48038 (world) <> 172.18.0.2:22 (host) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)';
const TO_PROXY = 'Jun 30 20:15:59.588: default/tiefighter:57694 (ID:35210) -> default/deathstar-67c5c5c88-7wf4m:80 (ID:57823) to-proxy FORWARDED (TCP Flags: ACK, FIN)';
const L7_DROP = 'Jun 30 20:15:59.588: default/tiefighter:57694 (ID:35210) -> default/deathstar-67c5c5c88-7wf4m:80 (ID:57823) http-request DROPPED (HTTP/1.1 PUT http://deathstar.default.svc.cluster.local/v1/exhaust-port)';
const L7_RESPONSE = 'Apr  5 21:03:15.919: default/tiefighter:44396 (ID:25698) <- default/deathstar-b4b8ccfb5-f75xw:80 (ID:6822) http-response FORWARDED (HTTP/1.1 403 0ms (PUT http://deathstar.default.svc.cluster.local/v1/exhaust-port))';
const ICMP = 'Oct 12 17:03:57.440: default/client (ID:33188) <> default/server-default (ID:61802) Policy denied DROPPED (ICMPv4 EchoRequest)';
const AUDITED = '# Jun  3 06:57:16.456: default/frontend-5f44ddcfd6-lbvlz:35256 (ID:6443) -> default/db-584f4c666-wjfkq:80 (ID:6942) policy-verdict:none INGRESS AUDITED (TCP Flags: SYN)';
const NO_TIME = '  default/tiefighter:53150 (ID:19440) <> default/deathstar-7848d6c4d5-n7lzq:80 (ID:23991) policy-verdict:L3-L4 INGRESS DENIED (TCP Flags: SYN; Auth: SPIRE)';
const NO_IDENTITY = 'May  4 13:23:43.791: default/tiefighter:42742 -> default/deathstar-c74d84667-cx5kp:80 http-request DROPPED (HTTP/1.1 PUT http://deathstar.default.svc.cluster.local/v1/exhaust-port)';
const JSON_FLOW = JSON.stringify({
  time: '2026-04-01T10:15:32.456Z',
  verdict: 'DROPPED',
  drop_reason_desc: 'POLICY_DENIED',
  IP: { source: '10.0.1.5', destination: '10.0.2.10' },
  l4: { TCP: { source_port: 52341, destination_port: 5432, flags: { SYN: true } } },
  source: { identity: 42, labels: ['k8s:app=frontend'], namespace: 'production', pod_name: 'frontend-7b9d4-xk2m1' },
  destination: { identity: 100, labels: ['k8s:app=database'], namespace: 'production', pod_name: 'postgres-0' },
});

describe('hubble observe lines as flows', () => {
  it('reads who talked to whom, on which port, and the verdict', () => {
    expect(parseHubbleLine(DENIED_SYN)).toEqual({
      source: { namespace: 'default', pod: 'testpod', port: 48740, identity: 'ID:2615' },
      destination: { namespace: 'basics', pod: 'basicdeploy-65ff8695df-p58zr', port: 80, identity: 'ID:9727' },
      protocol: 'TCP',
      tcpFlags: ['SYN'],
      type: 'policy-verdict:none INGRESS',
      verdict: 'denied',
    });
    expect(parseHubbleLine(DROPPED_SYN)).toMatchObject({ type: 'Policy denied', verdict: 'dropped' });
    expect(parseHubbleLine(WORLD_TO_HOST)).toMatchObject({ source: { ip: '172.18.0.1', identity: 'world' }, destination: { ip: '172.18.0.2', port: 22, identity: 'host' } });
    expect(parseHubbleLine(TO_PROXY)).toMatchObject({ reply: false, type: 'to-proxy', verdict: 'allowed', tcpFlags: ['ACK', 'FIN'] });
    expect(parseHubbleLine(ICMP)).toMatchObject({ source: { pod: 'client' }, destination: { pod: 'server-default' }, protocol: 'ICMPv4' });
  });

  it('reads the HTTP request and response the proxy saw', () => {
    expect(parseHubbleLine(L7_DROP)).toMatchObject({ type: 'http-request', verdict: 'dropped', http: { method: 'PUT', path: '/v1/exhaust-port', protocol: 'HTTP/1.1' } });
    // A reply: the printer keeps the client on the left and draws the arrow backwards.
    expect(parseHubbleLine(L7_RESPONSE)).toMatchObject({ reply: true, source: { pod: 'tiefighter' }, verdict: 'allowed', http: { method: 'PUT', path: '/v1/exhaust-port', status: 403 } });
  });

  it('reads lines without their time, with an Auth note, or from before identities were printed', () => {
    expect(parseHubbleLine(NO_TIME)).toMatchObject({ source: { pod: 'tiefighter', port: 53150 }, tcpFlags: ['SYN'], verdict: 'denied' });
    expect(parseHubbleLine(NO_IDENTITY)).toMatchObject({ source: { pod: 'tiefighter' }, destination: { port: 80 }, http: { method: 'PUT' } });
    expect(parseHubbleLine(NO_IDENTITY)!.source.identity).toBeUndefined();
  });

  it('reads hubble observe -o json', () => {
    expect(parseHubbleLine(JSON_FLOW)).toEqual({
      source: { namespace: 'production', pod: 'frontend-7b9d4-xk2m1', ip: '10.0.1.5', port: 52341, identity: 'ID:42' },
      destination: { namespace: 'production', pod: 'postgres-0', ip: '10.0.2.10', port: 5432, identity: 'ID:100' },
      protocol: 'TCP',
      tcpFlags: ['SYN'],
      type: 'POLICY_DENIED',
      verdict: 'dropped',
    });
    // -o jsonpb wraps the flow; a policy-verdict event's DROPPED is what the compact printer calls DENIED.
    const event = JSON.stringify({ flow: { ...JSON.parse(JSON_FLOW), event_type: { type: 5 }, traffic_direction: 'INGRESS' } });
    expect(parseHubbleLine(event)).toMatchObject({ verdict: 'denied', type: 'policy-verdict INGRESS' });
    // A reply's ends are the other way round in the message; the client comes first, as in the compact output.
    const reply = JSON.stringify({ ...JSON.parse(JSON_FLOW), is_reply: true, verdict: 'FORWARDED' });
    expect(parseHubbleLine(reply)).toMatchObject({ reply: true, source: { pod: 'postgres-0', port: 5432 }, destination: { pod: 'frontend-7b9d4-xk2m1' } });
  });

  it('is no flow for other lines', () => {
    for (const text of ['Current/Max Flows: 4,095/4,095 (100.00%)', 'TIMESTAMP   SOURCE   DESTINATION', '{"verdict": "TRACED"}', '{not json', DENIED_SYN.replace('DENIED', 'TRACED')]) expect(parseHubbleLine(text), text).toBeUndefined();
  });
});

describe('flows as claims in the outcome vocabulary', () => {
  const claimOf = (line: string) => hubbleClaim(parseHubbleLine(line)!);

  it.each([
    [DENIED_SYN, { outcome: 'connect-timeout' }],
    [DROPPED_SYN, { outcome: 'connect-timeout' }],
    [NO_TIME, { outcome: 'connect-timeout' }],
    [ICMP, { outcome: 'connect-timeout' }],
    [JSON_FLOW, { outcome: 'connect-timeout' }],
    [L7_DROP, { outcome: 'ok', status: 403 }],
    [L7_RESPONSE, { outcome: 'ok', status: 403 }],
    [AUDITED, { outcome: 'ok' }],
  ])('%s', (line, expect_) => {
    expect(claimOf(line)).toEqual({ expect: expect_, reason: expect.any(String) });
  });

  it('says an audited flow would have been denied', () => {
    expect(claimOf(AUDITED)).toMatchObject({ reason: expect.stringMatching(/would deny it; audit mode lets it through/) });
  });

  it('takes a dropped DNS query for a lookup that times out', () => {
    // Built in the printer's format (no tutorial at hand shows a dropped query's whole line).
    const dns = 'Sep  1 09:14:05.998: default/client:40312 (ID:1234) -> kube-system/coredns-5d78c9869d-abcde:53 (ID:5678) Policy denied DROPPED (UDP)';
    expect(claimOf(dns)).toMatchObject({ expect: { outcome: 'dns-timeout' } });
  });

  it("takes the server's RST for a refusal", () => {
    // Built in the printer's format: a reply the server sent to a port nothing listens on.
    const rst = 'Sep  1 09:14:02.113: default/client:41022 (ID:52901) <- default/web-7d9c8b5f6-2xqzk:8080 (ID:46212) to-endpoint FORWARDED (TCP Flags: ACK, RST)';
    expect(claimOf(rst)).toMatchObject({ expect: { outcome: 'refused' } });
    expect(claimOf(rst.replace('<-', '->'))).toEqual({ why: expect.stringMatching(/client's RST/) });
  });

  it('says a dropped packet of an open connection claims nothing', () => {
    expect(claimOf(TO_PROXY.replace('FORWARDED', 'DROPPED'))).toEqual({ why: expect.stringMatching(/ACK, FIN.*says nothing about whether the connection opens/) });
  });
});

describe('cilium monitor lines as flows', () => {
  // tutorials/corpus/cilium-host-firewall/Documentation/security/host-firewall.rst:131, :133 and :184.
  const ECHO = 'Policy verdict log: flow 0x0 local EP ID 1687, remote ID 6, proto 1, ingress, action allow, match L3-Only, 192.168.60.12 -> 192.168.60.11 EchoRequest';
  const AUDIT = 'Policy verdict log: flow 0x0 local EP ID 1687, remote ID 2, proto 6, ingress, action audit, match none, 10.0.2.2:47500 -> 10.0.2.15:6443 tcp SYN';
  const DENY = 'Policy verdict log: flow 0x0 local EP ID 1687, remote ID 2, proto 6, ingress, action deny, match none, 10.0.2.2:49038 -> 10.0.2.15:21 tcp SYN';
  // tutorials/corpus/azure-acns-fqdn-filtering/articles/aks/how-to-apply-fqdn-filtering-policies.md:221.
  const DROP = 'xx drop (Policy denied) flow 0xfddd76f6 to endpoint 0, ifindex 29, file bpf_lxc.c:1274, , identity 48447->world: 192.168.0.149:45830 -> 93.184.215.14:80 tcp SYN';

  it('reads policy verdicts: the remote identity is the source of an ingress verdict', () => {
    expect(parseMonitorLine(ECHO)).toEqual({ source: { ip: '192.168.60.12', identity: 'remote-node' }, destination: { ip: '192.168.60.11' }, protocol: 'ICMPv4', type: 'policy-verdict:L3-Only INGRESS', verdict: 'allowed' });
    expect(parseMonitorLine(AUDIT)).toMatchObject({ source: { ip: '10.0.2.2', port: 47500, identity: 'world' }, destination: { ip: '10.0.2.15', port: 6443 }, tcpFlags: ['SYN'], verdict: 'audited' });
    expect(parseMonitorLine(DENY.replace('ingress', 'egress'))).toMatchObject({ source: { ip: '10.0.2.2' }, destination: { port: 21, identity: 'world' }, type: 'policy-verdict:none EGRESS' });
    expect(hubbleClaim(parseMonitorLine(DENY)!)).toMatchObject({ expect: { outcome: 'connect-timeout' } });
  });

  it('reads drops, and the auth field of newer agents', () => {
    expect(parseMonitorLine(DROP)).toEqual({
      source: { ip: '192.168.0.149', port: 45830, identity: 'ID:48447' },
      destination: { ip: '93.184.215.14', port: 80, identity: 'world' },
      protocol: 'TCP',
      tcpFlags: ['SYN'],
      type: 'Policy denied',
      verdict: 'dropped',
    });
    expect(parseMonitorLine(DENY.replace('action deny, ', 'action deny, auth: disabled, '))).toMatchObject({ verdict: 'denied', destination: { port: 21 } });
    // The oldest agents' form (cilium/cilium 072b21ad pkg/monitor/datapath_policy.go): no protocol, "ingress true".
    expect(parseMonitorLine(DENY.replace('proto 6, ingress', 'ingress true'))).toMatchObject({ verdict: 'denied', source: { identity: 'world' }, type: 'policy-verdict:none INGRESS' });
  });

  it('is no flow for its other lines', () => {
    for (const text of ['Listening for events on 2 CPUs with 64x4096 of shared memory', 'Press Ctrl-C to quit', ECHO.replace('action allow', 'action frobnicate')]) expect(parseMonitorLine(text), text).toBeUndefined();
  });
});
