// Outcomes stated in words: real tutorials' sentences and shell comments (tutorials/corpus/<slug>/<file>:<line>),
// read into the outcome vocabulary, and tied to the probes they speak of.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { commentOutcome, outcomeSentences } from '../../src/tutorials/read/outcome-sentences.ts';
import { satisfies } from '../../src/probe/outcome.ts';
import { fixture } from '../support/fixture.ts';

const said = (text: string) => outcomeSentences(text, 1).map((s) => ({ line: s.line, expect: s.expect, refers: s.refers }));

describe('a sentence read as a probe outcome', () => {
  it.each([
    // course-container-training-netpol/slides/k8s/netpol.md:170
    ['The `curl` command should now time out.', { outcome: 'timeout' }],
    // calico-quickstart/.../quickstart.mdx:399
    ['This request should fail.', { outcome: 'fails' }],
    // calico-quickstart/.../quickstart.mdx:243
    ['You should see the HTML content of the NGINX welcome page.', { outcome: 'ok' }],
    // calico-windows-demo/.../demo.mdx:249
    ['However, the powershell pod will not able to reach the porter pod:', { outcome: 'fails' }],
    // calico-quickstart/.../quickstart.mdx:387: the reason before the comma is not the claim
    ['Because egress traffic is now allowed from this pod, this should succeed:', { outcome: 'ok' }],
    // aws-eks-workshop-netpol/.../debug.md:35: what happened is after "but instead"
    ["The call from 'ui' component should have succeeded, but instead it failed.", { outcome: 'fails' }],
    // workshop-aks-labs-acns/docs/networking/acns-lab.md:346: the "if" is the probe the reader runs, not a condition
    ['Now if we try to access Microsoft Graph API from order-service app, that should be allowed.', { outcome: 'ok' }],
  ])('%s', (text, expect_) => {
    expect(said(text)).toEqual([{ line: 1, expect: expect_, refers: { kind: 'it' } }]);
  });

  it('by order: "the first command", "the second one" (netpol.md:229-231, mutual-authentication-example.rst:48-49)', () => {
    expect(said('The first command will work (and show the "Welcome to nginx!" page).\n\nThe second command will fail and time out after 3 seconds.')).toEqual([
      { line: 1, expect: { outcome: 'ok' }, refers: { kind: 'nth', index: 0 } },
      { line: 3, expect: { outcome: 'timeout' }, refers: { kind: 'nth', index: 1 } },
    ]);
    expect(said('The second one should be denied (the *pod-worker* Pod is unable to connect to the *echo* Service).')).toEqual([{ line: 1, expect: { outcome: 'fails' }, refers: { kind: 'nth', index: 1 } }]);
  });

  it('"as you can see" is a claim only of probes shown without output (acns-lab.md:318; aws-eks-workshop-netpol debug.md:50)', () => {
    expect(outcomeSentences('As you can see the traffic is denied. This is an expected behavior because we have implemented zero trust security policy and denying any unwanted traffic.', 318)).toMatchObject([
      { line: 318, expect: { outcome: 'fails' }, refers: { kind: 'it' }, restates: true },
    ]);
    expect(outcomeSentences("As you could see from the outputs calls from the 'ui' component have been denied.", 50)).toMatchObject([{ restates: true }]);
  });

  it('several: "The connections across ... should be blocked" (workshop-aks-hackfest-calico using-security-controls.md:79)', () => {
    expect(said('b. The connections across `dev` and `default` namespaces should be blocked `with exit code 1` by the global `default-deny` policy.')).toEqual([{ line: 1, expect: { outcome: 'fails' }, refers: { kind: 'all' } }]);
  });

  it.each([
    // aws-eks-workshop-netpol/.../egress.md:55: a question, answered by the output after it
    ["Now, we can test to see if we can connect to 'catalog' service:"],
    // aws-eks-workshop-netpol/.../egress.md:62: two outcomes in one sentence, of two probes
    ["As you can see from the outputs, we can now connect to the 'catalog' service but not the database since it does not have the label:"],
    // calico-quickstart/.../quickstart.mdx:288: what a UI draws
    ['You should see three new connection types: one to `coredns` one to `nginx`, and another to `PUBLIC NETWORK`.'],
    // seeds/004_12ab6aaadef4ac20.txt:543: an instruction, not an outcome
    ['Test your newly allowed connection:'],
    // course-container-training-netpol/slides/k8s/netpol.md:233
    ['(The timeout is obtained with the `-m3` option.)'],
    // aws-eks-workshop-netpol/.../egress.md:40: what a policy must allow
    ["Apart from this, 'ui' will also need to be able to communicate with components in the cluster system namespaces."],
  ])('not a claim: %s', (text) => {
    expect(said(text)).toEqual([]);
  });
});

describe('a shell comment read as a probe outcome', () => {
  it.each([
    // calico-gateway-waf/.../tutorial.mdx:209
    ['# SQL injection probe — expect 403', { outcome: 'ok', status: 403 }],
    // course-ckad-exercises-services/f.services.md:226-227
    ['# This should not work. --timeout is optional here.', { outcome: 'fails' }],
    ['# This should be fine', { outcome: 'ok' }],
    ['# Test connectivity within dev namespace', undefined],
  ])('%s', (comment, expected) => {
    expect(commentOutcome(comment)).toEqual(expected);
  });
});

describe('the vague expectations prose gives', () => {
  it('"fails" is any failure, an HTTP error included; "timeout" only a timeout', () => {
    expect(satisfies({ outcome: 'fails' }, { outcome: 'ok', status: 403 })).toBe(true);
    expect(satisfies({ outcome: 'fails' }, { outcome: 'refused' })).toBe(true);
    expect(satisfies({ outcome: 'fails' }, { outcome: 'ok', status: 200 })).toBe(false);
    expect(satisfies({ outcome: 'fails' }, { outcome: 'ok' })).toBe(false);
    expect(satisfies({ outcome: 'timeout' }, { outcome: 'connect-timeout' })).toBe(true);
    expect(satisfies({ outcome: 'timeout' }, { outcome: 'refused' })).toBe(false);
  });
});

describe('sentences and comments tied to the probes they speak of', () => {
  const extract = async (text: string) => {
    const dir = await fixture({});
    const file = path.join(dir, 'page.md');
    await writeFile(file, text);
    const { extraction } = await extractTutorial(file);
    return extraction.probes.map((p) => [p.line, p.claims.map((c) => [c.line, c.expect])]);
  };
  const fence = (body: string) => `\`\`\`bash\n${body}\n\`\`\`\n`;

  it('by order, over probes in separate blocks (course-container-training-netpol netpol.md:217-231)', async () => {
    const text = [
      '# Page\n',
      'Try to connect from a pod with the `run=testcurl` label:\n',
      fence('kubectl run testcurl --rm -i --image=centos -- curl -m3 http://testweb'),
      'Try to connect to testweb with a different label:\n',
      fence('kubectl run testkurl --rm -i --image=centos -- curl -m3 http://testweb'),
      'The first command will work (and show the "Welcome to nginx!" page).\n',
      'The second command will fail and time out after 3 seconds.\n',
    ].join('\n');
    expect(await extract(text)).toEqual([
      [6, [[15, { outcome: 'ok' }]]],
      [12, [[17, { outcome: 'timeout' }]]],
    ]);
  });

  it('a closing sentence before a probe block is about it; one after a change is about nothing before (quickstart.mdx:385-403)', async () => {
    const text = [
      '# Page\n',
      fence('kubectl exec deploy/access -- wget -qO- http://nginx'),
      fence('kubectl apply -f policy.yaml'),
      'The request will hang.\n',
      'Test access to the NGINX server again.\nThis request should fail.\n',
      fence('kubectl exec deploy/access -- wget -qO- http://nginx'),
    ].join('\n');
    expect(await extract(text)).toEqual([
      [4, []],
      [17, [[14, { outcome: 'fails' }]]],
    ]);
  });

  it('a comment above a probe, or at its end, is its claim, not output (tutorial.mdx:204-214, f.services.md:226)', async () => {
    const text = [
      '# Page\n',
      fence(
        [
          '# Normal request — expect 200',
          'kubectl exec deploy/client -- curl -s -o /dev/null -w "%{http_code}" http://gateway/get',
          '# SQL injection probe — expect 403',
          'kubectl exec deploy/client -- curl -s -o /dev/null -w "%{http_code}" http://gateway/sqli',
          'kubectl exec deploy/client -- wget -O- http://nginx:80 --timeout 2   # This should not work',
        ].join('\n'),
      ),
    ].join('\n');
    expect(await extract(text)).toEqual([
      [5, [[4, { outcome: 'ok', status: 200 }]]],
      [7, [[6, { outcome: 'ok', status: 403 }]]],
      [8, [[8, { outcome: 'fails' }]]],
    ]);
  });

  it('one block of one-line responses for several probes: each claim at the block line (cilium-istio istio.rst:86-100)', async () => {
    const text = [
      '# Page\n',
      fence(
        [
          `kubectl exec -n red deploy/netshoot -- curl http://httpbin.red/ip -s -o /dev/null -m 1 -w "client 'red' to server 'red': %{http_code}\\n"`,
          `kubectl exec -n blue deploy/netshoot -- curl http://httpbin.red/ip -s -o /dev/null -m 1 -w "client 'blue' to server 'red': %{http_code}\\n"`,
        ].join('\n'),
      ),
      'All commands should complete successfully:\n',
      fence("client 'red' to server 'red': 200\nclient 'blue' to server 'red': 200"),
    ].join('\n');
    const claims = await extract(text);
    expect(claims.map(([line, c]) => [line, (c as [number, unknown][]).map(([l]) => l)])).toEqual([
      [4, [11, 8]],
      [5, [11, 8]],
    ]);
  });

  it('"As you can see the traffic is denied" after a probe shown without output is its claim, after an output it is not (acns-lab.md:313-318)', async () => {
    const probe = "kubectl exec -n pets -it $(kubectl get po -n pets -l app=order-service -ojsonpath='{.items[0].metadata.name}') -c order-service  -- sh -c 'wget --spider --timeout=1 --tries=1 https://graph.microsoft.com'";
    const sentence = 'As you can see the traffic is denied. This is an expected behavior because we have implemented zero trust security policy and denying any unwanted traffic.\n';
    expect(await extract(['# Page\n', fence(probe), sentence].join('\n'))).toEqual([[4, [[7, { outcome: 'fails' }]]]]);
    const shown = await extract(['# Page\n', fence(probe), fence("wget: can't connect to remote host: Connection timed out"), sentence].join('\n'));
    expect(shown.map(([, c]) => (c as [number, unknown][]).map(([l]) => l))).toEqual([[8]]);
  });

  it('"for each command" before one response shown: it is every probe\'s', async () => {
    const text = [
      '# Page\n',
      fence('kubectl exec deploy/a -- curl -m 2 http://web\nkubectl exec deploy/b -- curl -m 2 http://web'),
      'You should see this for each command:\n',
      fence('curl: (28) Connection timed out after 2001 milliseconds'),
    ].join('\n');
    const claims = await extract(text);
    expect(claims.map(([line, c]) => [line, (c as [number, { outcome: string }][]).map(([l, e]) => [l, e.outcome])])).toEqual([
      [4, [[11, 'connect-timeout']]],
      [5, [[11, 'connect-timeout']]],
    ]);
  });
});
