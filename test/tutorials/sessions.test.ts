// Shells left open across blocks, and where a later client line runs: in the pod, on the reader's machine, or, where
// the text does not say, nowhere checked. The wordings are the corpus's (tutorials/corpus/...).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { fixture } from '../support/fixture.ts';

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;
const SERVER = fence('bash', 'kubectl create deployment nginx --image=nginx\nkubectl expose deployment nginx --port=80');
const DENY = fence('bash', 'kubectl apply -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\nEOF');

async function extract(...parts: string[]) {
  const dir = await fixture({ 't.md': ['# T', ...parts].join('\n\n') });
  const { extraction } = await extractTutorial(path.join(dir, 't.md'));
  return extraction;
}

describe('shells left open', () => {
  // calico-quickstart/calico/getting-started/kubernetes/quickstart.mdx:227-331: the policy is created outside the
  // shell, and "Now go back to your BusyBox shell" runs the next wget in the pod again.
  it('a shell stays open while kubectl runs outside it, and the prose takes the reader back into it', async () => {
    const x = await extract(
      SERVER,
      fence('bash', 'kubectl run access --rm -ti --image busybox /bin/sh'),
      'In the BusyBox shell, run the following command to test communication with the NGINX server:',
      fence('bash', 'wget -qO- http://nginx'),
      fence('html', '<h1>Welcome to nginx!</h1>'),
      DENY,
      'Now go back to your BusyBox shell and test access to the NGINX server again:',
      fence('bash', 'wget -qO- --timeout=2 http://nginx'),
      fence('bash', 'wget: download timed out'),
    );
    expect(x.findings.filter((f) => f.rule === 'probe-not-read')).toEqual([]);
    expect(x.probes.map((p) => [p.line, p.cell?.from, p.claims[0]?.expect?.outcome])).toEqual([
      [15, { namespace: 'default', name: 'access', label: 'run' }, 'ok'],
      [37, { namespace: 'default', name: 'access', label: 'run' }, 'connect-timeout'],
    ]);
    // The pod is deleted at the chapter's end, not when the policy was applied.
    const deleted = x.steps.flatMap((s) => s.actions).filter((a) => a.action.kind === 'delete');
    expect(deleted.map((a) => a.command)).toEqual(['exit (kubectl run --rm deletes pod access)']);
  });

  // k8s-debug-service/content/en/docs/tasks/debug/debug-application/debug-service.md:25 and :279: the shell opened at
  // the top; "You can also try this from a Node in the cluster" is outside it.
  it('prose that puts the reader on a node or in another terminal runs the line outside the shell', async () => {
    const x = await extract(fence('none', 'kubectl run -it --rm --restart=Never busybox --image=gcr.io/google-containers/busybox sh'), 'You can also try this from a Node in the cluster:', fence('shell', 'wget -qO- http://10.0.1.175:80'));
    expect(x.probes).toEqual([]);
    expect(x.findings.find((f) => f.rule === 'probe-not-read')?.message).toMatch(/runs on the reader's machine/);
  });

  it('a client line after kubectl ran outside the shell, with nothing said of where it runs, is not checked', async () => {
    const x = await extract(
      SERVER,
      fence('bash', 'kubectl run access --rm -ti --image busybox /bin/sh'),
      DENY,
      'Test access to the NGINX server again:',
      fence('bash', 'wget -qO- --timeout=2 http://nginx'),
      fence('bash', 'wget: download timed out'),
    );
    expect(x.probes).toEqual([]);
    expect(x.findings.find((f) => f.rule === 'probe-not-read')?.message).toMatch(/runs on the reader's machine or in the shell of pod access \(open since line 9; kubectl ran outside it at line 13\), the text does not say which/);
  });

  // azure-acns-fqdn-filtering/articles/aks/how-to-apply-fqdn-filtering-policies.md:148-206: a second shell (in the
  // Cilium agent), then "From the first shell".
  it('"the first shell" is the first one opened', async () => {
    const x = await extract(
      fence('bash', 'kubectl create deployment web --image=nginx\nkubectl expose deployment web --port=80'),
      fence('bash', 'kubectl run -it client -n default --image=k8s.gcr.io/e2e-test-images/agnhost:2.43 --labels="app=demo-container" --command -- bash'),
      fence('bash', 'kubectl run -it other --image=busybox -- sh'),
      'From the first shell, create a request. This request should succeed.',
      fence('bash', './agnhost connect web:80'),
    );
    expect(x.probes.map((p) => p.cell?.from.name)).toEqual(['demo-container']);
  });

  // aws-eks-workshop-netpol/website/docs/networking/vpc-cni/network-policies/debug.md:41: a shell on a node.
  it('a line typed into a node shell (kubectl debug node/...) is no pod probe', async () => {
    const x = await extract(fence('bash', 'kubectl debug node/ip-10-42-1-5 -it --image=ubuntu'), fence('bash', 'curl -s http://10.42.1.7:8080'));
    expect(x.probes).toEqual([]);
    expect(x.findings.find((f) => f.rule === 'probe-not-read')?.message).toMatch(/runs on node ip-10-42-1-5 \(kubectl debug node\/ip-10-42-1-5\), not in a pod/);
  });

  // k8s-debug-service/content/en/docs/tasks/debug/debug-application/debug-service.md:25 and :228-237
  it('a name lookup in the shell is a probe, and the answer shown its claim: the name resolves', async () => {
    const x = await extract(
      fence('none', 'kubectl run -it --rm --restart=Never busybox --image=gcr.io/google-containers/busybox sh'),
      fence('shell', 'kubectl create deployment hostnames --image=k8s.gcr.io/serve_hostname\nkubectl expose deployment hostnames --port=80 --target-port=9376'),
      'From a Pod in the same Namespace:',
      fence('shell', 'nslookup hostnames'),
      fence('none', 'Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      hostnames\nAddress 1: 10.0.1.175 hostnames.default.svc.cluster.local'),
    );
    expect(x.probes.map((p) => [p.command, p.problem, p.cell?.key, p.claims.map((c) => c.expect)])).toEqual([['nslookup hostnames (in busybox)', undefined, 'run=busybox -> dns://hostnames', [{ outcome: 'ok' }]]]);
  });

  it('kubectl exec svc/NAME runs in a pod the Service selects', async () => {
    const x = await extract(fence('bash', 'kubectl create deployment web --image=nginx\nkubectl expose deployment web --port=80\nkubectl exec svc/web -- curl -s http://web'));
    expect(x.probes[0]?.cell?.from).toEqual({ namespace: 'default', name: 'web' });
  });
});

describe('shell text that is not broken', () => {
  // course-ckad-exercises-services/f.services.md:37-41
  it('a placeholder is for the reader to fill in: a warning and a probe not checkable, never bad shell', async () => {
    const x = await extract(SERVER, fence('bash', "kubectl get svc nginx # get the IP (something like 10.108.93.130)\nkubectl run busybox --rm --image=busybox -it --restart=Never --\nwget -O- [PUT THE POD'S IP ADDRESS HERE]:80\nexit"));
    expect(x.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
    expect(x.findings.find((f) => f.rule === 'placeholder')).toMatchObject({ line: 11, message: expect.stringMatching(/\[PUT THE POD'S IP ADDRESS HERE\] is for the reader to fill in/) });
    expect(x.probes.map((p) => p.problem)).toEqual(['the target is a placeholder the reader fills in']);
  });

  // workshop-ibm-calico-networkpolicy/docs/calico/networkpolicy.md:172-190
  it('a manifest echoed into a file over several lines is what a later -f of that file applies', async () => {
    const x = await extract(
      fence('bash', "echo 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: helloworld-deny-all\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress' > helloworld-policy-denyall.yaml"),
      'Create the Network Policy,',
      fence('bash', 'kubectl create -f helloworld-policy-denyall.yaml'),
    );
    expect(x.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
    const applied = x.steps.flatMap((s) => s.actions).map((a) => a.action);
    expect(applied).toMatchObject([{ kind: 'apply', objects: [{ kind: 'NetworkPolicy', metadata: { name: 'helloworld-deny-all' } }] }]);
  });
});

describe('a pod looked up in place of its name', () => {
  // workshop-aks-labs-acns/docs/networking/acns-lab.md:229 (Azure-Samples/aks-labs d1487a72): the lookup is written
  // where the pod's name goes, its -o value attached (-ojsonpath=...), as pflag takes it.
  it('kubectl exec $(kubectl get po -l app=X -o...) runs in a pod of app X', async () => {
    const lookup = `$(kubectl get po -n pets -l app=order-service -ojsonpath='{.items[0].metadata.name}')`;
    const x = await extract(
      fence(
        'bash',
        'kubectl create namespace pets\nkubectl create deployment order-service -n pets --image=nginx\nkubectl create deployment product-service -n pets --image=nginx\nkubectl expose deployment product-service -n pets --port=80',
      ),
      fence('bash', `kubectl exec -n pets -it ${lookup} -c order-service  -- sh -c 'nc -zv -w2 product-service 80'`),
      fence('bash', `kubectl exec -n pets -it $(kubectl get po -n pets -l tier=web -o name) -- sh -c 'nc -zv -w2 product-service 80'`),
    );
    expect(x.probes.map((p) => p.cell?.from ?? p.problem)).toEqual([{ namespace: 'pets', name: 'order-service' }, 'no pod pets/tier=web (label tier=web) runs at this point of the tutorial']);
  });
});

describe("a pod's IP looked up in place of the host", () => {
  // calico-windows-demo, demo.mdx:144-164 (tigera/docs f2a27624): the command with a placeholder, then "To combine
  // both of the above steps:" the same with the lookup written in, then one output.
  it("$(kubectl get po NAME -o jsonpath={.status.podIP}) is that pod; the output is the spelled-out command's", async () => {
    const x = await extract(
      fence('bash', 'kubectl create namespace calico-demo\nkubectl run porter -n calico-demo --image=nginx --port=80\nkubectl run busybox -n calico-demo --image=busybox -- sleep 360000'),
      'Then we can exec into the busybox pod and try reaching the porter pod on port 80:',
      fence('bash', 'kubectl exec -n calico-demo busybox -- nc -vz <porter_ip> 80'),
      'To combine both of the above steps:',
      fence('bash', "kubectl exec -n calico-demo busybox -- nc -vz $(kubectl get po porter -n calico-demo -o 'jsonpath={.status.podIP}') 80"),
      'If the connection from the busybox pod to the porter pod succeeds, we will get output similar to the following:',
      fence('', '192.168.40.166 (192.168.40.166:80) open'),
    );
    expect(x.probes.map((p) => [p.line, p.cell?.to.host ?? p.problem, p.claims.map((c) => c.expect)])).toEqual([
      [expect.any(Number), 'the target is a placeholder the reader fills in', []],
      [expect.any(Number), { kind: 'pod-ip', pod: { namespace: 'calico-demo', name: 'porter', label: 'run' } }, [{ outcome: 'ok' }]],
    ]);
  });
});

describe('a client loop read back with kubectl logs', () => {
  // The centos client of workshop-aks-hackfest-calico (labs/networking/calico-lab-exercise/demo/dev/app.manifests.yaml:11-24,
  // Azure/kubernetes-hackfest 7cb7e06c): bash -c -- 'while true; do curl -m3 http://nginx-svc; sleep 3; done;'.
  it("the responses kubectl logs shows are the loop's probe's claims, as of that point of the text", async () => {
    const centos = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: centos',
      '  namespace: dev',
      '  labels:',
      '    app: centos',
      'spec:',
      '  containers:',
      '  - name: centos',
      '    image: centos:latest',
      '    command: [ "/bin/bash", "-c", "--" ]',
      '    args: [ "while true; do curl -m3 http://nginx-svc; sleep 3; done;" ]',
    ].join('\n');
    const x = await extract(
      fence('bash', 'kubectl create namespace dev\nkubectl create deployment nginx -n dev --image=nginx\nkubectl expose deployment nginx -n dev --port=80 --name=nginx-svc'),
      fence('bash', `kubectl apply -f - <<EOF\n${centos}\nEOF`),
      fence('bash', 'kubectl logs -n dev centos --tail 2'),
      fence('', '<title>Welcome to nginx!</title>'),
      fence('bash', 'kubectl apply -n dev -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\nEOF'),
      fence('bash', 'kubectl logs -n dev centos --tail 1'),
      fence('', 'curl: (28) Connection timed out after 3001 milliseconds'),
    );
    expect(x.probes.map((p) => [p.cell?.key, p.claims.map((c) => c.expect?.outcome)])).toEqual([
      ['dev/centos -> http://nginx-svc', ['ok']],
      ['dev/centos -> http://nginx-svc', ['connect-timeout']],
    ]);
  });
});
