// Tutorials that run databases as StatefulSets: the EKS workshop's network policies chapter (tutorials/corpus/
// aws-eks-workshop-netpol) keeps the catalog's MySQL in the StatefulSet catalog-mysql and probes it from the orders
// Deployment; probes from a StatefulSet's pods go through sts/NAME, statefulset/NAME, or the pod's ordinal name.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { fixture, REPO } from '../support/fixture.ts';

const WORKSHOP = path.join(REPO, 'tutorials/corpus/aws-eks-workshop-netpol/manifests');
const fence = (body: string) => `\`\`\`bash\n${body}\n\`\`\``;

// The workshop's orders component: a Deployment whose pods carry only app.kubernetes.io/* labels, behind a Service
// on port 80 to 8080 (json-mock stands in for its server).
const ORDERS = `apiVersion: apps/v1
kind: Deployment
metadata: { name: orders }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: orders, app.kubernetes.io/component: service } }
  template:
    metadata: { labels: { app.kubernetes.io/name: orders, app.kubernetes.io/component: service } }
    spec: { containers: [{ name: orders, image: docker.io/cilium/json-mock:v1.3.8, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: orders }
spec: { selector: { app.kubernetes.io/name: orders, app.kubernetes.io/component: service }, ports: [{ port: 80, targetPort: 8080 }] }
`;

/** The workshop's catalog database (its own StatefulSet and Service) and the orders component. */
async function workshop(text: string[]) {
  const dir = await fixture({
    'statefulset-mysql.yaml': await readFile(path.join(WORKSHOP, 'base-application/catalog/statefulset-mysql.yaml'), 'utf8'),
    'service-mysql.yaml': await readFile(path.join(WORKSHOP, 'base-application/catalog/service-mysql.yaml'), 'utf8'),
    'allow-catalog-ingress-db.yaml': await readFile(path.join(WORKSHOP, 'modules/networking/network-policies/apply-network-policies/allow-catalog-ingress-db.yaml'), 'utf8'),
    'orders.yaml': ORDERS,
    'README.md': [fence('kubectl create namespace catalog\nkubectl create namespace orders\nkubectl apply -n catalog -f statefulset-mysql.yaml -f service-mysql.yaml\nkubectl apply -n orders -f orders.yaml'), ...text].join('\n\n'),
  });
  const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
  const result = await checkDocs(extraction, suite);
  return { findings: extraction.findings, claims: result.claims.map((c) => ({ verdict: c.verdict, why: c.why ?? '' })) };
}

describe('the EKS workshop: the catalog database is a StatefulSet', () => {
  // ingress.md:95-108, after the allow-catalog-ingress-db policy. The StatefulSet is modelled now: what is left
  // unchecked is curl's telnet:// scheme, which the reader does not take for a probe.
  it("follows the state through the StatefulSet; orders' telnet:// probe of catalog-mysql is the only thing not read", async () => {
    const { claims, findings } = await workshop([
      fence('kubectl apply -f allow-catalog-ingress-db.yaml'),
      "Let us validate the network policy by confirming we cannot connect to the 'catalog' database from the 'orders' component:",
      fence(`$ kubectl exec deployment/orders -n orders -- curl -v telnet://catalog-mysql.catalog:3306 --connect-timeout 5
*   Trying XXX.XXX.XXX.XXX:3306...
* ipv4 connect timeout after 4999ms, move on!
* Failed to connect to catalog-mysql.catalog port 3306 after 5001 ms: Timeout was reached
* Closing connection 0
curl: (28) Failed to connect to catalog-mysql.catalog port 3306 after 5001 ms: Timeout was reached
command terminated with exit code 28
...`),
    ]);
    expect(findings).toEqual([]);
    expect(claims).toEqual([{ verdict: 'not-checkable', why: 'curl target "telnet://catalog-mysql.catalog:3306" is not a URL or HOST:PORT the harness can probe' }]);
  });

  // The ingress chapter's wording for a probe that times out, from the database's pod, after a policy that isolates
  // orders' ingress. The pods have no label app: they are found by a label of the StatefulSet's selector that only
  // they carry in the namespace (app.kubernetes.io/component=mysql).
  it('runs a probe from the StatefulSet by statefulset/NAME -n NS, sts/NAME and its pod NAME-0', async () => {
    const timedOut = '* Failed to connect to orders.orders port 80 after 5001 ms: Timeout was reached\ncurl: (28) Failed to connect to orders.orders port 80 after 5001 ms: Timeout was reached\ncommand terminated with exit code 28';
    const probes = ['statefulset/catalog-mysql -n catalog', 'sts/catalog-mysql -n catalog', '-n catalog catalog-mysql-0'].map((pod) => fence(`$ kubectl exec ${pod} -- curl -v orders.orders/orders --connect-timeout 5\n${timedOut}`));
    const deny = fence('kubectl apply -n orders -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-ingress }\nspec: { podSelector: {}, policyTypes: [Ingress] }\nEOF');
    const { claims, findings } = await workshop([deny, ...probes]);
    expect(findings).toEqual([]);
    expect(claims).toEqual(Array(3).fill({ verdict: 'holds', why: expect.stringContaining('Timeout was reached') }));
  });

  // ingress.md:111-114 restarts the catalog Deployment and waits for it; debug.md's probes after it are still judged.
  const RESTART = fence('$ kubectl rollout restart statefulset/catalog-mysql -n catalog\n$ kubectl rollout status statefulset/catalog-mysql -n catalog --timeout=2m');
  const probe = fence('$ kubectl exec sts/catalog-mysql -n catalog -- curl -v orders.orders/orders --connect-timeout 5\ncurl: (28) Failed to connect to orders.orders port 80 after 5001 ms: Timeout was reached');
  const deny = fence('kubectl apply -n orders -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-ingress }\nspec: { podSelector: {}, policyTypes: [Ingress] }\nEOF');

  it('follows kubectl rollout restart: new pods from the same template', async () => {
    const { claims, findings } = await workshop([deny, RESTART, probe]);
    expect(findings).toEqual([]);
    expect(claims).toEqual([{ verdict: 'holds', why: expect.stringContaining('Timeout was reached') }]);
  });

  it('but not after the text relabelled the pods the restart replaces', async () => {
    const { claims } = await workshop([deny, fence('kubectl label pod catalog-mysql-0 -n catalog tier=db'), RESTART, probe]);
    expect(claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('its pods were relabelled, and the new ones come without those labels') }]);
  });
});
