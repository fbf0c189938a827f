// A Cilium agent as the kube backend meets it through exec. `cilium-dbg endpoint list -o json` answers a JSON array
// of endpoints shaped as Cilium's API model (api/v1/models: Endpoint.status.identity, .status.policy.realized
// ['policy-revision'], .status['external-identifiers']), the way cilium-cli reads it (cilium-cli/connectivity/check/
// policy.go: countEndpointsBelowPolicyRevision). A node always has its host endpoint (reserved:host, identity 1), the
// health endpoint (identity 4), and may have one still waiting for an identity (no identity, nothing realized).
// A new policy revision is realized by the endpoints only after `lag` more endpoint lists, one endpoint later than
// the rest, as regeneration finishes endpoint by endpoint.
export class AgentStandIn {
  /** The agent's policy repository revision: bumped once per policy added, changed or deleted. */
  revision: number;
  /** Endpoint lists answered since the last revision bump. */
  private listsSinceBump = 0;
  /** The revision before the last bump: what lagging endpoints still have. */
  private before: number;
  /** The health endpoint's realized revision in each endpoint list answered: the slowest endpoint. */
  private readonly slowest: number[] = [];
  /** An endpoint that never realizes a bump. */
  stuck = false;
  /** Each revision at the first endpoint list that showed every endpoint with an identity at it. */
  readonly confirmed: number[] = [];

  constructor(
    readonly node: string,
    revision: number,
    private readonly lag = 2,
    private readonly pods: { namespace: string; name: string }[] = [],
  ) {
    this.revision = revision;
    this.before = revision;
  }

  bump(by = 1): void {
    this.before = this.listsSinceBump > this.lag + 1 ? this.revision : this.before;
    this.revision += by;
    this.listsSinceBump = 0;
  }

  /** What `cilium-dbg version -o jsonpath={$.Daemon.Version}` prints (cilium-cli asks it so: k8s/client.go). */
  version = '1.20.2';

  answer(command: readonly string[]): { stdout?: string; stderr?: string; exitCode: number } | undefined {
    if (command.join(' ') === 'cilium-dbg version -o jsonpath={$.Daemon.Version}') return { stdout: this.version, exitCode: 0 };
    if (command.join(' ') !== 'cilium-dbg endpoint list -o json') return undefined;
    this.listsSinceBump++;
    const most = this.listsSinceBump > this.lag ? this.revision : this.before;
    const health = !this.stuck && this.listsSinceBump > this.lag + 1 ? this.revision : this.before;
    this.slowest.push(health);
    if (health === this.revision && this.confirmed.at(-1) !== this.revision) this.confirmed.push(this.revision);
    const endpoint = (id: number, identity: number, revision: number, labels: string[], pod?: { namespace: string; name: string }) => ({
      id,
      status: {
        state: 'ready',
        identity: { id: identity, labels },
        ...(pod && { 'external-identifiers': { 'k8s-namespace': pod.namespace, 'k8s-pod-name': pod.name, 'pod-name': `${pod.namespace}/${pod.name}` } }),
        policy: { realized: { 'policy-enabled': 'none', 'policy-revision': revision } },
      },
    });
    const endpoints = [
      endpoint(101, 1, most, ['reserved:host']),
      endpoint(102, 4, health, ['reserved:health']),
      ...this.pods.map((p, i) => endpoint(200 + i, 30000 + i, most, [`k8s:io.kubernetes.pod.namespace=${p.namespace}`], p)),
      // An endpoint still waiting for its identity: nothing realized, and nothing to wait for.
      { id: 999, status: { state: 'waiting-for-identity', policy: { realized: {} } } },
    ];
    return { stdout: JSON.stringify(endpoints, null, 2), exitCode: 0 };
  }
}
