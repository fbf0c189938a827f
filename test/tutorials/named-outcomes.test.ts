// Outcomes stated by naming the client and the target (aws-eks-workshop-netpol's ingress.md and egress.md, in
// tutorials/corpus/), read into clauses and tied to the probes whose names they use.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { namedSentences } from '../../src/tutorials/read/named-outcomes.ts';
import { fixture } from '../support/fixture.ts';

// aws-eks-workshop-netpol website/docs/networking/vpc-cni/network-policies/ingress.md:82
const ONLY_UI = "As you could see from the above outputs, only the 'ui' component is able to communicate with the 'catalog' service component, and the 'orders' service component is not able to.";
// aws-eks-workshop-netpol .../egress.md:62
const BUT_NOT_DB = "As you can see from the outputs, we can now connect to the 'catalog' service but not the database since it does not have the `app.kubernetes.io/component: service` label:";

describe('a sentence read into clauses: who, to what, with which outcome', () => {
  it('"only X is able to communicate with Y, and Z is not able to": Z\'s clause keeps Y (ingress.md:82)', () => {
    expect(namedSentences(ONLY_UI, 82)).toEqual([
      {
        line: 82,
        text: ONLY_UI,
        clauses: [
          { expect: { outcome: 'ok' }, subject: ['only', 'the', 'ui', 'component'], object: ['with', 'the', 'catalog', 'service', 'component'], only: true },
          { expect: { outcome: 'fails' }, subject: ['the', 'orders', 'service', 'component', 'is'], object: ['with', 'the', 'catalog', 'service', 'component'], only: false },
        ],
      },
    ]);
  });

  it('"we can connect to A but not B": B is denied to the same client, the reason after it left out (egress.md:62)', () => {
    expect(namedSentences(BUT_NOT_DB, 62)[0]!.clauses).toEqual([
      { expect: { outcome: 'ok' }, subject: ['we'], object: ['the', 'catalog', 'service'], only: false },
      { expect: { outcome: 'fails' }, subject: ['we'], object: ['the', 'database'], only: false },
    ]);
  });

  it.each([
    // aws-eks-workshop-netpol .../ingress.md:110: a condition
    ["But if we restart the 'catalog' pod it can still connect:"],
    // .../ingress.md:84: a plan
    ["But this still leaves the 'catalog' database component open, so let us implement a network policy to ensure only the 'catalog' service component alone can communicate with the 'catalog' database component."],
    // .../egress.md:75: a question to test
    ["Similarly, we can test to see if we are able to connect to other services like the 'order' service, which we should be able to."],
    // .../ingress.md:42: what a policy will allow
    ["Now, we'll define a network policy that will allow traffic to the 'catalog' service component only from the 'ui' component:"],
    // a question
    ["Can the 'orders' component still reach the 'catalog' service?"],
  ])('no claim: %s', (text) => {
    expect(namedSentences(text, 1)).toEqual([]);
  });
});

describe('clauses tied to the probes whose client and target they name', () => {
  const extract = async (text: string) => {
    const dir = await fixture({});
    const file = path.join(dir, 'page.md');
    await writeFile(file, text);
    const { extraction } = await extractTutorial(file);
    return extraction.probes.map((p) => [p.line, p.claims.filter((c) => c.stated).map((c) => [c.line, c.expect!.outcome])]);
  };
  const fence = (body: string) => `\`\`\`bash\n${body}\n\`\`\`\n`;
  const ui = 'kubectl exec deployment/ui -n ui -- curl -v catalog.catalog/health --connect-timeout 5';
  const orders = 'kubectl exec deployment/orders -n orders -- curl -v catalog.catalog/health --connect-timeout 5';

  it("\"only the 'ui' component ...\": ui's probe succeeds, orders' fails; the probes before the policy are not its (ingress.md:9-82)", async () => {
    const text = [
      '# Page\n',
      fence(ui),
      fence(orders),
      fence('kubectl apply -f allow-catalog-ingress-webservice.yaml'),
      "Now, we can validate the policy by confirming that we can still access the 'catalog' component from the 'ui':\n",
      fence(ui),
      "But not from the 'orders' component:\n",
      fence(orders),
      `${ONLY_UI}\n`,
    ].join('\n');
    const claims = await extract(text);
    expect(claims.slice(0, 2)).toEqual([
      [4, []],
      [8, []],
    ]);
    expect(claims.slice(2)).toEqual([
      [18, [[27, 'ok']]],
      [24, [[27, 'fails']]],
    ]);
  });

  it('"... the \'catalog\' service but not the database": catalog is the service named catalog, the database catalog-mysql (egress.md:55-66)', async () => {
    const text = [
      '# Page\n',
      fence('kubectl exec deployment/ui -n ui -- curl http://catalog.catalog/health'),
      `${BUT_NOT_DB}\n`,
      fence('kubectl exec deployment/ui -n ui -- curl -v telnet://catalog-mysql.catalog:3306 --connect-timeout 5'),
    ].join('\n');
    expect(await extract(text)).toEqual([
      [4, [[7, 'ok']]],
      [10, [[7, 'fails']]],
    ]);
  });

  it('a sentence about several probes that names their target: every probe to it (workshop-aks-hackfest-calico using-security-controls.md:104-130)', async () => {
    const text = [
      '# Page\n',
      fence('calicoctl --allow-version-mismatch create -f default-centos-to-frontend.yaml'),
      fence('kubectl -n dev exec -t centos -- curl -m3 -sI http://frontend.default'),
      'Output will be like this:\n',
      fence('HTTP/1.1 200 OK'),
      'c. Test the connectivity to the Internet, should be same as blocked `with exit code 1` by default deny policy.\n',
      fence(
        [
          '# Test connectivity from dev namespace to the Internet',
          "kubectl -n dev exec -t centos -- sh -c 'curl -m3 -sI http://www.bing.com 2>/dev/null | grep -i http'",
          '',
          '# Test connectivity from default namespace to the Internet',
          "kubectl exec -it $(kubectl get po -l app=loadgenerator -ojsonpath='{.items[0].metadata.name}') -- sh -c 'curl -m3 -sI www.bing.com 2>/dev/null | grep -i http'",
        ].join('\n'),
      ),
    ].join('\n');
    expect(await extract(text)).toEqual([
      [8, []],
      [21, [[17, 'fails']]],
      [24, [[17, 'fails']]],
    ]);
  });

  it('names that match several different probes, or none, make no claim', async () => {
    const text = [
      '# Page\n',
      fence('kubectl exec deployment/ui -n ui -- curl http://catalog.catalog/health'),
      fence('kubectl exec deployment/ui -n ui -- curl http://catalog-api.catalog/health'),
      // "catalog" is the name of one target: that one; "checkout" names no probe shown.
      "Now the 'ui' component can reach the 'catalog' service, and the 'checkout' component cannot reach the 'orders' service.\n",
      '## Two\n',
      fence('kubectl exec deployment/ui -n ui -- curl http://catalog-db.catalog/health'),
      fence('kubectl exec deployment/ui -n ui -- curl http://catalog-api.catalog/health'),
      // Both targets carry "catalog" in their names and neither is named catalog: which one is not said.
      "Now the 'ui' component cannot reach the 'catalog' service.\n",
      fence('kubectl apply -f policy.yaml'),
      // After a change: about none of the probes before it.
      "Now the 'ui' component cannot reach the 'catalog-db' service.\n",
    ].join('\n');
    const claims = await extract(text);
    expect(claims).toEqual([
      [4, [[11, 'ok']]],
      [8, []],
      [16, []],
      [20, []],
    ]);
  });
});
