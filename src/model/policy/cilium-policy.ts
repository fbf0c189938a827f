// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2) compiled to the common policy shape.
// A namespaced policy selects pods of its namespace only, and its peer selectors stay in that namespace unless they
// name one; a cluster-wide policy's selectors span every namespace. toPorts without a protocol means any protocol.
import type { ObjectSource } from '../../input/source-map.ts';
import { RE2JS } from 're2js';
import { icmpTypeNumber } from '../../manifest/icmp.ts';
import type { CidrRule, CiliumAnyRule, CiliumPolicy, CiliumRule, HttpRule, IcmpRule } from '../../manifest/schemas/cilium.ts';
import type { LabelSelector } from '../../manifest/schemas/label-selector.ts';
import { compileCidr } from '../cidr.ts';
import { compileIdentitySelector, namesNamespace } from '../cilium-labels.ts';
import { compileFqdnMatcher, describeFqdnMatcher, normalizeName } from '../fqdn-pattern.ts';
import { PROTOCOLS, type CompiledPolicy, type CompiledRule, type DirectionRules, type HttpMatcher, type L7Rules, type NameMatcher, type PeerMatch, type PortMatch, type Protocol } from './types.ts';

function endpointsMatch(selectors: readonly LabelSelector[], namespace: string | undefined): PeerMatch['pods'] {
  const compiled = selectors.map((s) => ({ matches: compileIdentitySelector(s), anyNamespace: namespace === undefined || namesNamespace(s) }));
  return (pod) => compiled.some((s) => (s.anyNamespace || pod.namespace === namespace) && s.matches(pod.identity));
}

/**
 * Header conditions as Cilium hands them to Envoy (pkg/envoy/server.go, getHTTPRule): a `headers` entry is split at
 * its first space, `Name: value` requiring that exact value and a lone `Name` only its presence; a headerMatches
 * entry requires its value (or presence, without one) unless it has a mismatch action, which logs or rewrites the
 * request instead of denying it.
 */
function headerConditions(rule: HttpRule): ((headers: Record<string, string>) => boolean)[] {
  const exact = (name: string, value: string | undefined) => (headers: Record<string, string>) => {
    const got = headers[name.toLowerCase()];
    return got !== undefined && (value === undefined || got === value);
  };
  const fromHeaders = (rule.headers ?? []).map((entry) => {
    const space = entry.indexOf(' ');
    // Header names (RFC 9110 tokens) hold no ':': only colons right before the value are ever trimmed.
    // Stryker disable next-line Regex: equivalent for every header name, as above
    return space === -1 ? exact(entry, undefined) : exact(entry.slice(0, space).replace(/:+$/, ''), entry.slice(space + 1));
  });
  const fromMatches = (rule.headerMatches ?? []).filter((m) => m.mismatch === undefined).map((m) => exact(m.name, m.value || undefined));
  return [...fromHeaders, ...fromMatches];
}

function compileHttpRule(rule: HttpRule): HttpMatcher {
  // Envoy matches each regex against the whole field, with RE2 (linear time; no backreferences or lookaround):
  // re2js is that engine's port, so a pattern such as /(a+)+ costs what it costs Envoy.
  const field = (re: string | undefined) =>
    re === undefined
      ? () => true
      : (
          (r) => (v: string) =>
            r.matches(v)
        )(RE2JS.compile(re));
  const method = field(rule.method);
  const path = field(rule.path);
  const host = field(rule.host);
  const headers = headerConditions(rule);
  const describe =
    Object.entries(rule)
      .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ') || 'any request';
  return { describe, matches: (r) => method(r.method) && path(r.path) && host(r.host) && headers.every((h) => h(r.headers)) };
}

type PortRule = NonNullable<CiliumAnyRule['toPorts']>[number];

/**
 * A TLS server name as Cilium matches it (pkg/policy/api/l4.go ServerName): as a DNS matchPattern (`*` within one
 * label, `*` alone every name), and a `**.` prefix for one or more labels in front of the rest.
 */
function compileServerName(pattern: string): NameMatcher {
  const describe = `serverName ${pattern}`;
  if (!pattern.startsWith('**.')) return { describe, matches: compileFqdnMatcher({ matchPattern: pattern }) };
  const rest = pattern.slice(3);
  const tail = compileFqdnMatcher({ matchPattern: rest });
  const restLabels = normalizeName(rest).split('.').length;
  return {
    describe,
    matches: (name) => {
      const labels = normalizeName(name).split('.');
      return labels.length > restLabels && tail(labels.slice(-restLabels).join('.'));
    },
  };
}

/** A port rule's field the model does not simulate, if any (it then judges none of the port's traffic). */
function unmodelledIn(rule: PortRule): string | undefined {
  if (rule.terminatingTLS !== undefined || rule.originatingTLS !== undefined) return 'toPorts.terminatingTLS/originatingTLS (TLS interception)';
  if (rule.listener !== undefined) return 'toPorts.listener (a CiliumEnvoyConfig listener)';
  const rules = rule.rules as Record<string, unknown> | undefined;
  const other = ['kafka', 'l7proto', 'l7'].find((k) => rules?.[k] !== undefined);
  if (other) return `toPorts.rules.${other}`;
  if (rule.rules?.http?.some((h) => h.headerMatches?.some((m) => m.secret))) return 'rules.http.headerMatches.secret (the model cannot read Secrets)';
  if (rule.serverNames?.length && rule.rules?.http) return 'toPorts.serverNames with rules.http but no TLS interception';
  return undefined;
}

function l7Of(rule: PortRule): L7Rules | undefined {
  const { rules } = rule;
  if (rules?.dns) return { kind: 'dns', rules: rules.dns.map((m) => ({ describe: describeFqdnMatcher(m), matches: compileFqdnMatcher(m) })) };
  if (rules?.http) return { kind: 'http', rules: rules.http.map(compileHttpRule) };
  if (rule.serverNames?.length) return { kind: 'sni', rules: rule.serverNames.map(compileServerName) };
  return undefined;
}

function portMatches(toPorts: CiliumAnyRule['toPorts']): readonly PortMatch[] | 'all' {
  if (!toPorts?.length) return 'all';
  return toPorts.flatMap((rule) => {
    const unmodelled = unmodelledIn(rule);
    const l7 = unmodelled ? undefined : l7Of(rule);
    // No ports: every port, of every protocol.
    const ports = rule.ports?.length ? rule.ports : [undefined];
    return ports.map((p) => ({
      protocols: !p?.protocol || p.protocol === 'ANY' ? PROTOCOLS : [p.protocol as Protocol],
      // Port 0 means every port; a name is a container port of the destination.
      port: p === undefined || p.port === '0' ? undefined : /^\d+$/.test(p.port) ? Number(p.port) : p.port,
      endPort: p?.endPort,
      ...(l7 && { l7 }),
      ...(unmodelled && { unmodelled }),
    }));
  });
}

/** icmps: each IPv4 type is a "port" of the ICMP protocol; the model has no IPv6, so IPv6 types match nothing. */
function icmpMatches(icmps: readonly IcmpRule[]): readonly PortMatch[] {
  return icmps.flatMap((rule) => (rule.fields ?? []).filter((f) => (f.family ?? 'IPv4') === 'IPv4').map((f) => ({ protocols: ['ICMP'] as const, port: icmpTypeNumber(f.type)! })));
}

/** The CiliumCIDRGroups of the cluster: their outside CIDRs, by name and with their labels. */
export interface CidrGroups {
  byName(name: string): readonly string[] | undefined;
  matching(selector: LabelSelector): readonly string[];
}

/** A CIDR rule's blocks: its own cidr, or every CIDR of the groups it names or selects (none, if none exists), less its excepts. */
function cidrBlocks(rule: CidrRule, groups: CidrGroups): ((ip: string) => boolean)[] {
  if (rule.cidr !== undefined) return [compileCidr(rule.cidr, rule.except)];
  const cidrs = rule.cidrGroupRef !== undefined ? (groups.byName(rule.cidrGroupRef) ?? []) : groups.matching(rule.cidrGroupSelector!);
  return cidrs.map((c) => compileCidr(c, rule.except));
}

function peerMatch(rule: CiliumAnyRule, namespace: string | undefined, groups: CidrGroups): PeerMatch {
  const endpoints = rule.fromEndpoints ?? rule.toEndpoints;
  if (endpoints) return { pods: endpointsMatch(endpoints, namespace) };
  const entities = rule.fromEntities ?? rule.toEntities;
  if (entities) return { entities: new Set(entities) };
  const cidrs: CidrRule[] = [...(rule.fromCIDR ?? rule.toCIDR ?? []).map((cidr) => ({ cidr })), ...(rule.fromCIDRSet ?? rule.toCIDRSet ?? [])];
  if (cidrs.length) {
    const blocks = cidrs.flatMap((c) => cidrBlocks(c, groups));
    return { world: (ip) => blocks.some((inBlock) => inBlock(ip)) };
  }
  if (rule.toFQDNs) {
    const matchers = rule.toFQDNs.map(compileFqdnMatcher);
    return { fqdn: (name) => matchers.some((m) => m(name)) };
  }
  // No L3 part: a rule that names ports or ICMP types applies to every peer; an empty rule ({}) to none.
  return rule.toPorts?.length || rule.icmps?.length ? { any: true } : {};
}

// Peer kinds and conditions the model does not simulate: such a rule may apply to any peer.
const UNMODELLED_RULE_FIELDS = ['toServices', 'fromNodes', 'toNodes', 'fromGroups', 'toGroups', 'fromRequires', 'toRequires', 'authentication'] as const;

function unmodelledRule(rule: CiliumAnyRule): string | undefined {
  return UNMODELLED_RULE_FIELDS.find((f) => (rule as Record<string, unknown>)[f] !== undefined);
}

function compileRule(spec: CiliumRule, prefix: string, policy: CiliumPolicy, source: ObjectSource | undefined, index: number, groups: CidrGroups) {
  const namespace = policy.kind === 'CiliumNetworkPolicy' ? (policy.metadata.namespace ?? 'default') : undefined;
  const rules = (section: 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny'): CompiledRule[] =>
    ((spec[section] ?? []) as CiliumAnyRule[]).map((rule, i) => {
      const unmodelled = unmodelledRule(rule);
      return {
        path: `${prefix}.${section}[${i}]`,
        line: source?.lineOf([...(policy.specs ? ['specs', index] : ['spec']), section, i]),
        // An unsimulated peer kind may be any peer; authentication keeps the rule's own peers.
        peer: unmodelled && unmodelled !== 'authentication' ? { any: true } : peerMatch(rule, namespace, groups),
        ports: rule.icmps?.length ? icmpMatches(rule.icmps) : portMatches(rule.toPorts),
        ...(unmodelled && { unmodelled }),
      };
    });
  const direction = (allowSection: 'ingress' | 'egress', denySection: 'ingressDeny' | 'egressDeny'): DirectionRules => {
    const allow = rules(allowSection);
    const deny = rules(denySection);
    // A non-empty allow or deny section puts the selected pods into default deny, unless enableDefaultDeny says not to.
    return { allow, deny, isolates: (allow.length > 0 || deny.length > 0) && spec.enableDefaultDeny?.[allowSection] !== false };
  };
  // A host policy (nodeSelector) selects nodes, never pods.
  // Stryker disable next-line ArrowFunction: undefined is as false as false
  const selects = spec.endpointSelector ? compileIdentitySelector(spec.endpointSelector) : () => false;
  return {
    selects: (pod: Parameters<CompiledPolicy['selects']>[0]) => (namespace === undefined || pod.namespace === namespace) && selects(pod.identity),
    ingress: direction('ingress', 'ingressDeny'),
    egress: direction('egress', 'egressDeny'),
    ...(spec.nodeSelector && { unmodelled: 'nodeSelector (a host policy: it judges traffic of nodes)' }),
  };
}

/** One compiled policy per rule (`spec`, or each of `specs`). */
export function compileCiliumPolicy(policy: CiliumPolicy, source: ObjectSource | undefined, groups: CidrGroups): CompiledPolicy[] {
  const namespace = policy.kind === 'CiliumNetworkPolicy' ? (policy.metadata.namespace ?? 'default') : undefined;
  const specs = policy.specs ?? [policy.spec!];
  return specs.map((spec, i) => ({
    source: { kind: policy.kind, namespace, name: policy.metadata.name, file: source?.file, line: source?.lineOf(['metadata', 'name']) },
    ...compileRule(spec, policy.specs ? `specs[${i}]` : 'spec', policy, source, i, groups),
  }));
}
