// `cilium monitor` (`cilium-dbg monitor`) output as a tutorial shows it, read as flows in hubble-lines.ts's terms.
// Its two lines that say what policy did, from cilium/cilium pkg/monitor:
// - datapath_policy.go PolicyVerdictNotify.DumpInfo: "Policy verdict log: flow %#x local EP ID %d, remote ID %d,
//   proto %d, ingress|egress, action allow|deny|redirect|audit, [auth: %s, ]match %s, SUMMARY" as indexed
//   copies of the file print it (newer agents add the auth field); older ones printed "[dst port %d, ][proto %d, ]
//   ingress true|false" (without either at commit 072b21ad);
// - datapath_drop.go DropNotify.DumpInfo (commit 0801672c): "xx drop (REASON) flow %#x to endpoint %d, ifindex %d,
//   file %s:%d, identity SRC->DST: SUMMARY" (identities as numbers, or in names: `world`).
// SUMMARY is dissect.go GetConnectionSummary (commit 0353be66): "sIP:sPort -> dIP:dPort tcp FLAGS" ("SYN, ACK"),
// "... udp", or "sIP -> dIP ICMPTYPE" (gopacket's name: EchoRequest).
import type { FlowEndpoint, HubbleFlow, HubbleVerdict } from './hubble-lines.ts';

// pkg/identity/numericidentity.go (commit 005d3ed3): the reserved identities' numbers.
const RESERVED: Record<string, string> = { '1': 'host', '2': 'world', '3': 'unmanaged', '4': 'health', '5': 'init', '6': 'remote-node', '7': 'kube-apiserver', '8': 'ingress' };

const ACTIONS: Record<string, HubbleVerdict> = { allow: 'allowed', redirect: 'allowed', deny: 'denied', audit: 'audited' };

const VERDICT_LOG = /^Policy verdict log: flow \S+ local EP ID \d+, remote ID (\S+), (?:dst port \d+, )?(?:proto \d+, )?(ingress|egress|ingress true|ingress false), action (\w+), (?:auth: [^,]*, )?match ([\w-]+), (.+)$/;
const DROP = /^xx drop \(([^)]+)\) flow \S+ to endpoint \d+,.*?identity (\S+)->(\S+): (.+)$/;

/** One line of `cilium monitor` as a flow, or undefined when it is neither a policy verdict nor a drop. */
export function parseMonitorLine(text: string): HubbleFlow | undefined {
  const line = text.trim().replace(/^(?:\$|#)\s*/, '');
  const verdict = VERDICT_LOG.exec(line);
  if (verdict) {
    const [, remote, direction, action, match, summary] = verdict as unknown as string[];
    const said = ACTIONS[action!];
    const flow = said && fromSummary(summary!);
    if (!flow) return undefined;
    const ingress = direction === 'ingress' || direction === 'ingress true';
    // The remote identity is the source of an ingress verdict and the destination of an egress one.
    const side = ingress ? flow.source : flow.destination;
    side.identity = identity(remote!);
    return { ...flow, type: `policy-verdict:${match} ${ingress ? 'INGRESS' : 'EGRESS'}`, verdict: said };
  }
  const drop = DROP.exec(line);
  if (drop) {
    const [, reason, from, to, summary] = drop as unknown as string[];
    const flow = fromSummary(summary!);
    if (!flow) return undefined;
    flow.source.identity = identity(from!);
    flow.destination.identity = identity(to!);
    return { ...flow, type: reason!, verdict: 'dropped' };
  }
  return undefined;
}

const identity = (id: string) => RESERVED[id] ?? (/^\d+$/.test(id) ? `ID:${id}` : id);

type Ends = Pick<HubbleFlow, 'source' | 'destination' | 'protocol' | 'tcpFlags'>;

function fromSummary(summary: string): Ends | undefined {
  const ports = /^(\S+):(\d+) -> (\S+):(\d+) (tcp|udp)(?: (.*))?$/.exec(summary);
  if (ports) {
    const [, sip, sport, dip, dport, proto, flags] = ports as unknown as string[];
    return {
      source: at(sip!, sport),
      destination: at(dip!, dport),
      protocol: proto === 'tcp' ? 'TCP' : 'UDP',
      ...(proto === 'tcp' && { tcpFlags: flags ? flags.split(', ') : [] }),
    };
  }
  const icmp = /^(\S+) -> (\S+) (\w+)$/.exec(summary);
  if (icmp) return { source: at(icmp[1]!), destination: at(icmp[2]!), protocol: icmp[1]!.includes(':') ? 'ICMPv6' : 'ICMPv4' };
  return undefined;
}

// net.JoinHostPort brackets an IPv6 address.
const at = (ip: string, port?: string): FlowEndpoint => ({ ip: ip.replace(/^\[|\]$/g, ''), ...(port && port !== '0' && { port: Number(port) }) });
