// A generated suite with many cells in one step, for the suite benchmark and the signal tests: `pods` agnhost pods
// in namespace x (serving TCP 80), a policy that lets only pods with tier=front into the others, and one step whose reachability
// table probes every pod from every pod (pods² cells, less the diagonal).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes the suite and its app into `dir`; returns the suite's path. */
export async function writeGeneratedSuite(dir: string, pods: number, name = 'generated'): Promise<string> {
  const names = Array.from({ length: pods }, (_, i) => `p${i}`);
  const deployments = names.map(
    (pod, i) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${pod}, namespace: x }
spec:
  selector: { matchLabels: { pod: ${pod} } }
  template:
    metadata: { labels: { pod: ${pod}, tier: ${i % 3 === 0 ? 'front' : 'back'} } }
    spec:
      containers:
        - name: c
          image: registry.k8s.io/e2e-test-images/agnhost:2.52
          command: [/agnhost, serve-hostname, --tcp, --http=false, --port, "80"]
          ports: [{ containerPort: 80, protocol: TCP }]
`,
  );
  await mkdir(path.join(dir, 'apps'), { recursive: true });
  await writeFile(path.join(dir, 'apps', `${name}.yaml`), `apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n${deployments.join('')}`);
  const row = (from: number) => `x/${names[from]} ${names.map((_, to) => (to === from ? '-' : from % 3 === 0 || to % 3 === 0 ? '.' : 'X')).join(' ')}`;
  const table = [`- ${names.map((n) => `x/${n}`).join(' ')}`, ...names.map((_, from) => row(from))].map((line) => `          ${line}`).join('\n');
  const suite = `name: ${name} (${pods} pods, ${pods * (pods - 1)} cells in one step)
apps: [${name}]
pods: { label: pod }
probe: { connectTimeout: 1 }
steps:
  - name: only tier=front gets into tier=back
    apply:
      - apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: front-only, namespace: x }
        spec:
          podSelector: { matchLabels: { tier: back } }
          ingress: [{ from: [{ podSelector: { matchLabels: { tier: front } } }] }]
    reachability:
      - port: 80
        table: |
${table}
`;
  const file = path.join(dir, `${name}.suite.yaml`);
  await writeFile(file, suite);
  return file;
}
