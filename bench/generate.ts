// Generated clusters for the benchmark: namespaces of 20 pods, labels drawn from small vocabularies so that
// selectors overlap as in real clusters, and a mix of policy shapes (NetworkPolicy ingress and egress, namespace
// and pod selectors, matchExpressions, ports and named ports, CiliumNetworkPolicy endpoints, entities and deny).
import type { KubeObject } from '../src/manifest/objects.ts';

const TIERS = ['web', 'api', 'db', 'cache'];
const TEAMS = ['red', 'green', 'blue'];

/** A deterministic pseudo-random sequence (mulberry32), so that every run measures the same cluster. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCluster(podCount: number, policyCount: number, seed = 1): KubeObject[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const namespaces = Math.max(1, Math.ceil(podCount / 20));
  const objects: KubeObject[] = [];
  for (let n = 0; n < namespaces; n++) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { team: TEAMS[n % TEAMS.length]! } } });
  for (let i = 0; i < podCount; i++) {
    const labels = { app: `app-${i}`, tier: pick(TIERS), team: pick(TEAMS) };
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, namespace: `ns-${i % namespaces}` },
      spec: {
        selector: { matchLabels: { app: labels.app } },
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'agnhost', ports: [{ containerPort: 80, name: 'http' }] }] } },
      },
    });
  }
  for (let p = 0; p < policyCount; p++) {
    const namespace = `ns-${p % namespaces}`;
    const tier = pick(TIERS);
    const metadata = { name: `policy-${p}`, namespace };
    switch (p % 5) {
      case 0:
        objects.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata,
          spec: { podSelector: { matchLabels: { tier } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: pick(TIERS) } } }], ports: [{ port: 80 }] }] },
        });
        break;
      case 1:
        objects.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata,
          spec: {
            podSelector: { matchLabels: { tier } },
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: pick(TEAMS) } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: [pick(TIERS), pick(TIERS)] }] } }] }],
          },
        });
        break;
      case 2:
        objects.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata,
          spec: { podSelector: { matchLabels: { team: pick(TEAMS) } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { tier: pick(TIERS) } } }], ports: [{ port: 'http' }] }] },
        });
        break;
      case 3:
        objects.push({
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata,
          spec: { endpointSelector: { matchLabels: { tier } }, ingress: [{ fromEndpoints: [{ matchLabels: { team: pick(TEAMS), 'k8s:io.kubernetes.pod.namespace': `ns-${Math.floor(next() * namespaces)}` } }] }] },
        });
        break;
      default:
        objects.push({
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata,
          spec: {
            endpointSelector: { matchLabels: { tier } },
            egress: [{ toEntities: ['cluster'] }],
            egressDeny: [{ toEndpoints: [{ matchLabels: { tier: pick(TIERS), 'k8s:io.kubernetes.pod.namespace': namespace } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
          },
        });
    }
  }
  return objects;
}
