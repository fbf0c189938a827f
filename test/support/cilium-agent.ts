// A Cilium agent as the kube backend meets it through exec, answering the commands it runs as cilium-dbg does.
//
// `cilium-dbg policy get -o jsonpath=TEMPLATE` prints the policy repository's revision (daemon/restapi/policy.go:
// getPolicyHandler returns models.Policy{Revision: the repository's}, cilium-dbg/cmd/policy_get.go prints it through
// pkg/command/output.go: the template run by client-go's jsonpath with AllowMissingKeys, text outside braces kept as
// written, then fmt.Println's newline). The repository starts at revision 1 (pkg/policy/repository.go,
// NewPolicyRepository) and is bumped by every import or delete the moment it happens. `cilium` runs the same binary
// (cilium-dbg/Makefile links cilium to cilium-dbg), which is what cilium-cli execs.
//
// `cilium-dbg endpoint list -o json` answers a JSON array of endpoints shaped as Cilium's API model (api/v1/models:
// Endpoint.status.identity {id, labels}, .status.labels {security-relevant, derived} as pkg/endpoint/api.go GetModel
// fills them from the endpoint's identity and information labels, .status.policy.realized['policy-revision'],
// .status['external-identifiers'], .status.state). A node always has its host endpoint (reserved:host, identity 1),
// the health endpoint (identity 4), and may have one still waiting for an identity (no identity, nothing realized).
//
// `cilium-dbg ip list -o json` answers the agent's ipcache as models.IPListEntry (cidr, identity, metadata), the way
// cilium-dbg/cmd/ip_list.go prints it through pkg/command: every pod address of the cluster as ADDR/32 with the
// identity its endpoint has (`ipcacheSource`), learnt `ipcacheLag` ip lists after that endpoint showed it.
//
// Realization: each repository revision is realized by the endpoints `lag` endpoint lists after it was committed,
// revision by revision in order, the health endpoint one list later than the rest (regeneration finishes endpoint
// by endpoint). A pod's label change reaches its endpoint's labels `labelLag` lists after it is first seen, its
// identity one list later (regenerating), and the endpoint is ready again one list after that.
export interface StandInPod {
  namespace: string;
  name: string;
  /** Its identity-source labels, key to value (k8s source): pod labels, namespace labels, service account, cluster. */
  labels: Record<string, string>;
  ip?: string;
}

/** A pod address and the identity its endpoint shows, as other agents' ipcaches learn it. */
export interface ShownIdentity {
  identity: number;
  namespace: string;
  name: string;
}

// The default identity-relevant label filter (pkg/labelsfilter/filter.go, defaultLabelPrefixCfg): anchored regular
// expressions over the key; a label is an identity label unless an ignore pattern matches and no include pattern
// matches a longer part of the key (filterLabels).
const INCLUDE = [/^io\.kubernetes\.pod\.namespace/, /^io\.cilium\.k8s\.namespace\.labels/, /^app\.kubernetes\.io/, /^io\.cilium\.k8s\.policy\.cluster/, /^io\.cilium\.k8s\.policy\.serviceaccount/];
const IGNORE = [
  /^io\.kubernetes/,
  /^kubernetes\.io/,
  /^statefulset\.kubernetes\.io\/pod-name/,
  /^apps\.kubernetes\.io\/pod-index/,
  /^batch\.kubernetes\.io\/job-completion-index/,
  /^batch\.kubernetes\.io\/controller-uid/,
  /^.*beta\.kubernetes\.io/,
  /^k8s\.io/,
  /^pod-template-generation/,
  /^pod-template-hash/,
  /^controller-revision-hash/,
  /^controller-uid/,
  /^annotation.*/,
  /^etcd_node/,
  /^topology\.kubernetes\.io/,
];

export function isIdentityLabel(key: string): boolean {
  const lengths = (patterns: RegExp[]) => patterns.map((p) => p.exec(key)?.[0].length ?? 0).filter((n) => n > 0);
  const included = Math.max(0, ...lengths(INCLUDE));
  const ignored = lengths(IGNORE);
  return ignored.length === 0 || included > Math.min(...ignored);
}

/** A label as Cilium's API prints it (pkg/labels: Label.String): source:key=value, or source:key for an empty value. */
const labelString = (key: string, value: string) => (value === '' ? `k8s:${key}` : `k8s:${key}=${value}`);

/** What an endpoint shows of a pod's labels: identity labels and information labels, each sorted as GetModel sorts them. */
function labelsOf(pod: StandInPod): { security: string[]; derived: string[] } {
  const entries = Object.entries(pod.labels);
  return {
    security: entries
      .filter(([k]) => isIdentityLabel(k))
      .map(([k, v]) => labelString(k, v))
      .sort(),
    derived: entries
      .filter(([k]) => !isIdentityLabel(k))
      .map(([k, v]) => labelString(k, v))
      .sort(),
  };
}

/** A numeric identity for a set of identity labels, the same for the same labels (as the allocator gives one per set). */
function identityId(labels: readonly string[]): number {
  let hash = 0;
  for (const c of labels.join(';')) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return 10_000 + (hash % 50_000);
}

interface Shown {
  security: string[];
  derived: string[];
  /** The labels before the change still regenerating, and the list at which the change was first seen. */
  before?: { security: string[]; derived: string[] };
  seenAt: number;
}

export class AgentStandIn {
  /** The agent's policy repository revision: bumped once per policy added, changed or deleted. */
  revision: number;
  /** Endpoint lists answered so far. */
  private lists = 0;
  private readonly initial: number;
  /** Every revision committed to the repository, with the endpoint list count at that moment. */
  private readonly commits: { revision: number; at: number }[] = [];
  /** An endpoint (the health endpoint) that realizes no revision after this is set. */
  stuck = false;
  private frozen: number | undefined;
  /** Each revision at the first endpoint list that showed every endpoint with an identity at it (or beyond). */
  readonly confirmed: number[] = [];
  /** Endpoint lists after a pod's labels changed before its endpoint's labels show it. */
  labelLag = 1;
  private readonly labelState = new Map<string, Shown>();
  private readonly endpointIds = new Map<string, number>();
  /** What each pod's endpoint (namespace/name) has shown, its identity labels and state, each change once. */
  readonly history = new Map<string, { identity: string[]; state: string }[]>();
  /** The identity this agent's endpoints showed at its last endpoint list, by pod address. */
  readonly shownIdentities = new Map<string, ShownIdentity>();
  /** Where the ipcache learns every pod address's identity from (all agents' endpoints); none when unset. */
  ipcacheSource: () => Iterable<[string, ShownIdentity]> = () => [];
  /** ip lists after an address's identity changed before the ipcache shows it. */
  ipcacheLag = 1;
  private ipLists = 0;
  private readonly ipState = new Map<string, { now: ShownIdentity; before?: ShownIdentity; at: number }>();
  /** The identity of each address at the last ip list. */
  readonly lastIpcache = new Map<string, number>();

  constructor(
    readonly node: string,
    revision: number,
    private readonly lag = 2,
    private readonly pods: readonly StandInPod[] | (() => readonly StandInPod[]) = [],
  ) {
    this.revision = revision;
    this.initial = revision;
  }

  /** What a pod's endpoint showed at the last endpoint list. */
  lastShown(pod: string): { identity: string[]; state: string } | undefined {
    return this.history.get(pod)?.at(-1);
  }

  bump(by = 1): void {
    for (let i = 0; i < by; i++) this.commits.push({ revision: ++this.revision, at: this.lists });
  }

  /** What `cilium-dbg version -o jsonpath={$.Daemon.Version}` prints (cilium-cli asks it so: k8s/client.go). */
  version = '1.20.2';

  /** The revision endpoints that lag this many lists behind have realized. */
  private realized(lag: number): number {
    let revision = this.initial;
    for (const c of this.commits) if (this.lists - c.at > lag) revision = c.revision;
    return revision;
  }

  answer(command: readonly string[]): { stdout?: string; stderr?: string; exitCode: number } | undefined {
    const [binary, ...args] = command;
    if (binary !== 'cilium-dbg' && binary !== 'cilium') return undefined;
    const words = args.join(' ');
    if (words === 'version -o jsonpath={$.Daemon.Version}') return { stdout: this.version, exitCode: 0 };
    if (args.length === 4 && words.startsWith('policy get -o jsonpath=')) return jsonPath(args[3]!.slice('jsonpath='.length), { revision: this.revision });
    if (words === 'endpoint list -o json') return { stdout: JSON.stringify(this.endpointList(), null, 2), exitCode: 0 };
    if (words === 'ip list -o json') return { stdout: JSON.stringify(this.ipList(), null, 2), exitCode: 0 };
    return undefined;
  }

  private ipList(): unknown[] {
    this.ipLists++;
    const entries: unknown[] = [{ cidr: '0.0.0.0/0', identity: 2, metadata: { source: 'reserved' } }];
    for (const [ip, now] of this.ipcacheSource()) {
      const state = this.ipState.get(ip);
      if (!state) this.ipState.set(ip, { now, at: this.ipLists });
      else if (state.now.identity !== now.identity) this.ipState.set(ip, { now, before: state.now, at: this.ipLists });
      const { now: current, before, at } = this.ipState.get(ip)!;
      const shown = before && this.ipLists - at < this.ipcacheLag ? before : current;
      this.lastIpcache.set(ip, shown.identity);
      entries.push({ cidr: `${ip}/32`, identity: shown.identity, metadata: { source: 'custom-resource', namespace: shown.namespace, name: shown.name } });
    }
    return entries;
  }

  private endpointList(): unknown[] {
    this.lists++;
    this.shownIdentities.clear();
    const most = this.realized(this.lag);
    const health = this.stuck ? (this.frozen ??= this.realized(this.lag + 1)) : this.realized(this.lag + 1);
    const slowest = Math.min(most, health);
    if (slowest > (this.confirmed.at(-1) ?? -1)) this.confirmed.push(slowest);
    const policy = (revision: number) => ({ realized: { 'policy-enabled': 'none', 'policy-revision': revision } });
    const reserved = (id: number, identity: number, label: string, revision: number) => ({
      id,
      status: { state: 'ready', identity: { id: identity, labels: [label] }, labels: { 'security-relevant': [label], realized: {} }, policy: policy(revision) },
    });
    return [
      reserved(101, 1, 'reserved:host', most),
      reserved(102, 4, 'reserved:health', health),
      ...(typeof this.pods === 'function' ? this.pods() : this.pods).map((p) => this.podEndpoint(p, most)),
      // An endpoint still waiting for its identity: nothing realized, and nothing to wait for.
      { id: 999, status: { state: 'waiting-for-identity', policy: { realized: {} } } },
    ];
  }

  private podEndpoint(pod: StandInPod, revision: number): unknown {
    const key = `${pod.namespace}/${pod.name}`;
    const now = labelsOf(pod);
    let shown = this.labelState.get(key);
    if (!shown) this.labelState.set(key, (shown = { ...now, seenAt: this.lists }));
    else if (shown.security.join() !== now.security.join() || shown.derived.join() !== now.derived.join()) {
      this.labelState.set(key, (shown = { ...now, before: { security: shown.security, derived: shown.derived }, seenAt: this.lists }));
    }
    const since = this.lists - shown.seenAt;
    const old = shown.before;
    // Not seen yet; then the labels, with the identity still being resolved; then the identity, regenerating; then ready.
    const labels = old && since < this.labelLag ? old : shown;
    const identity = old && since <= this.labelLag ? old.security : shown.security;
    const state = old && since === this.labelLag + 1 ? 'regenerating' : 'ready';
    if (!this.endpointIds.has(key)) this.endpointIds.set(key, 200 + this.endpointIds.size);
    const seen = this.history.get(key) ?? [];
    if (seen.at(-1)?.identity.join() !== identity.join() || seen.at(-1)?.state !== state) this.history.set(key, [...seen, { identity, state }]);
    if (pod.ip) this.shownIdentities.set(pod.ip, { identity: identityId(identity), namespace: pod.namespace, name: pod.name });
    return {
      id: this.endpointIds.get(key),
      status: {
        state,
        identity: { id: identityId(identity), labels: identity },
        ...(pod.ip && { networking: { addressing: [{ ipv4: pod.ip }] } }),
        labels: { 'security-relevant': labels.security, derived: labels.derived, realized: {} },
        'external-identifiers': { 'k8s-namespace': pod.namespace, 'k8s-pod-name': pod.name, 'pod-name': key },
        policy: { realized: { 'policy-enabled': 'none', 'policy-revision': revision } },
      },
    };
  }
}

/**
 * A jsonpath template as cilium-dbg prints it: client-go's jsonpath (k8s.io/client-go/util/jsonpath) with missing
 * keys allowed, so `{.revision}` prints the value, text outside braces is printed as written (cilium-cli passes
 * `jsonpath='{.revision}'` without a shell, and trims the quotes that come back), then a newline. A template
 * client-go cannot parse ends as pkg/command/output.go ends it: the parser's words on stderr, exit 1.
 */
function jsonPath(template: string, data: Record<string, unknown>): { stdout?: string; stderr?: string; exitCode: number } {
  const rendered = template.replace(/\{\$?\.([A-Za-z]+)\}/g, (_, key: string) => (data[key] === undefined ? '' : String(data[key])));
  if (/[{}]/.test(rendered)) return { stderr: `Couldn't parse jsonpath expression: 'unclosed action'\n`, exitCode: 1 };
  return { stdout: `${rendered}\n`, exitCode: 0 };
}
