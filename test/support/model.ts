// Builds a model cluster from manifest YAML, through the same validation as suite manifests.
import { ModelCluster } from '../../src/model/cluster.ts';
import type { WorldHost } from '../../src/world/world.ts';
import { simulateProbe, type ProbeSimulation } from '../../src/model/simulate.ts';
import { parseTarget, probeFor } from '../../src/probe/target.ts';
import { parseManifests } from '../../src/suite/load.ts';

export const CURL_IMAGE = 'docker.io/byrnedo/alpine-curl:0.1.8';
export const GLIBC_IMAGE = 'docker.io/curlimages/curl-debian:8';

// A curl container with ports runs a server the image catalog does not know, so that its declared ports are trusted
// (the catalog knows the curl image runs curl and exits, serving nothing).
const SERVER_COMMAND = '          command: ["/bin/ash", "-c", "exec test-server"]';

export function deployment(name: string, opts: { namespace?: string; labels?: Record<string, string>; image?: string; ports?: string; env?: string; serviceAccount?: string } = {}): string {
  const labels = { app: name, ...opts.labels };
  const labelYaml = Object.entries(labels)
    .map(([k, v]) => `        ${k}: "${v}"`)
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${opts.namespace ?? 'default'} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels:
${labelYaml}
    spec:
${
  opts.serviceAccount
    ? `      serviceAccountName: ${opts.serviceAccount}
`
    : ''
}      containers:
        - name: c
          image: ${opts.image ?? CURL_IMAGE}
${opts.ports ? `          ports: ${opts.ports}\n${opts.image ? '' : SERVER_COMMAND}` : ''}${opts.env ? `          env: ${opts.env}\n` : ''}
`;
}

export function service(name: string, port: number, targetPort: number | string, namespace = 'default'): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { app: ${name} }
  ports: [{ port: ${port}, targetPort: ${typeof targetPort === 'number' ? targetPort : `"${targetPort}"`} }]
`;
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: ${JSON.stringify(labels)} }\n`;
}

export class TestCluster {
  readonly cluster: ModelCluster;
  constructor(world: WorldHost[] = []) {
    this.cluster = new ModelCluster(world);
  }

  apply(...yamlDocs: string[]): this {
    for (const object of parseManifests(yamlDocs.join('\n---\n'), 'test.yaml')) this.cluster.apply(object);
    return this;
  }

  /** Probes a target written as a suite writes it (see docs/suite-format.md), from the first pod of app `from`. */
  probe(from: string, target: string, ns = 'default'): ProbeSimulation {
    const client = this.cluster.pods().find((p) => p.namespace === ns && p.labels.app === from);
    if (!client) throw new Error(`no pod ${ns}/${from}`);
    const parsed = parseTarget(target);
    if (parsed?.host.kind !== 'name') throw new Error(`not a name or address target: ${target}`);
    return simulateProbe(this.cluster, client, probeFor(parsed, parsed.host.name, 5));
  }

  outcome(from: string, target: string, ns = 'default'): string {
    const { observation } = this.probe(from, target, ns);
    return observation.status === undefined || observation.status === 200 ? observation.outcome : `${observation.outcome}:${observation.status}`;
  }

  pod(app: string, ns = 'default') {
    const pod = this.cluster.pods().find((p) => p.namespace === ns && p.labels.app === app);
    if (!pod) throw new Error(`no pod ${ns}/${app}`);
    return pod;
  }
}

export const WORLD: WorldHost[] = [
  { name: 'kubernetes.io', ip: '203.0.113.1', ports: { 80: 301, 443: 200 } },
  { name: 'cilium.io', ip: '203.0.113.2', ports: { 443: 200 } },
];

/** The labs' demo app: frontend and not-frontend clients, backend serving 8080 behind a Service. */
export function demo(): TestCluster {
  return new TestCluster(WORLD).apply(
    deployment('frontend'),
    deployment('not-frontend'),
    deployment('backend', { image: 'docker.io/cilium/json-mock:1.2', ports: '[{ containerPort: 8080, name: http }]', env: '[{ name: PORT, value: "8080" }]' }),
    service('backend', 8080, 8080),
  );
}

/** The demo app plus a namespace `other` with a frontend of its own: for namespace-scoping checks. */
export function demoWithOtherNamespace(): TestCluster {
  return demo().apply(namespace('other'), deployment('frontend', { namespace: 'other' }));
}

export const np = (name: string, spec: string, ns = 'default') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
export const cnp = (name: string, spec: string, ns = 'default') => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
export const ccnp = (name: string, spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n${spec}`;
/** A ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) whose subject is the default namespace. (`namespaces: {}`
 * would take in kube-system too, and a Deny into CoreDNS turns every lookup into a timeout.) */
export const DEFAULT_NAMESPACE = '{ matchLabels: { kubernetes.io/metadata.name: default } }';
export const clusterNp = (name: string, tier: string, priority: number, body: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n  tier: ${tier}\n  priority: ${priority}\n  subject: { namespaces: ${DEFAULT_NAMESPACE} }\n${body}`;
export const BACKEND = 'http://backend:8080/';
