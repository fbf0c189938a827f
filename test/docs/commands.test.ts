import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/docs/read/commands.ts';
import { parseShellLine, ShellSyntaxError } from '../../src/docs/read/shell.ts';

describe('shell lines', () => {
  it('keeps quoted words and $(...) whole, drops comments, splits pipes and lists', () => {
    expect(parseShellLine(`FRONTEND=$(kubectl get pods -l app=frontend -o json | jq -r '.items[0].metadata.name') # note`)).toEqual([
      [[`FRONTEND=$(kubectl get pods -l app=frontend -o json | jq -r '.items[0].metadata.name')`]],
    ]);
    expect(parseShellLine(`kubectl exec -ti "$X" -- curl -I a:1 | head -1 && echo done; cilium hubble port-forward&`)).toEqual([
      [['kubectl', 'exec', '-ti', '$X', '--', 'curl', '-I', 'a:1'], ['head', '-1']],
      [['echo', 'done']],
      [['cilium', 'hubble', 'port-forward']],
    ]);
  });

  it('says what is unterminated', () => {
    expect(() => parseShellLine(`echo 'oops`)).toThrow(ShellSyntaxError);
    expect(() => parseShellLine(`X=$(kubectl get pods`)).toThrow(/unterminated \$\(/);
  });
});

describe('tutorial commands', () => {
  it.each([
    [`kubectl create -f tutorial/01-backend-ingress-deny.yaml`, { kind: 'apply', verb: 'create', files: ['tutorial/01-backend-ingress-deny.yaml'] }],
    [`kubectl -n monitoring create -f tutorial/monitoring-app.yaml`, { kind: 'apply', namespace: 'monitoring', files: ['tutorial/monitoring-app.yaml'] }],
    [`kubectl replace --filename=a.yaml`, { kind: 'apply', verb: 'replace', files: ['a.yaml'] }],
    [`kubectl delete -f a.yaml -n x`, { kind: 'delete-files', files: ['a.yaml'], namespace: 'x' }],
    [`kubectl delete cnp backend-egress-allow-fqdn`, { kind: 'delete', targets: [{ kindName: 'CiliumNetworkPolicy', name: 'backend-egress-allow-fqdn' }] }],
    [`kubectl delete netpol/a`, { kind: 'delete', targets: [{ kindName: 'NetworkPolicy', name: 'a' }] }],
    [`kubectl delete ccnp everything`, { kind: 'delete', targets: [{ kindName: 'CiliumClusterwideNetworkPolicy', name: 'everything' }] }],
    [`kubectl create namespace monitoring`, { kind: 'create-namespace', name: 'monitoring' }],
    [`kubectl label namespace kube-system contains=coredns`, { kind: 'label', target: 'namespace', name: 'kube-system', set: { contains: 'coredns' } }],
    [`kubectl label pod $FRONTEND role- tier=web --overwrite`, { kind: 'label', target: 'pod', name: '$FRONTEND', set: { role: null, tier: 'web' } }],
    [`BACKEND=$(kubectl get pods -l app=backend -o jsonpath='{.items[0].metadata.name}')`, { kind: 'bind', variable: 'BACKEND', labels: { app: 'backend' }, field: 'name' }],
    [`MONITORING=$(kubectl -n monitoring get pods -l app=monitoring -o json | jq -r '.items[0].metadata.name')`, { kind: 'bind', namespace: 'monitoring', labels: { app: 'monitoring' }, field: 'name' }],
    [`BACKEND_IP=$(kubectl get pods -l app=backend -o json | jq -r '.items[0].status.podIP')`, { kind: 'bind', variable: 'BACKEND_IP', field: 'ip' }],
    [`kubectl exec -ti \${BACKEND} -- curl -Ik --connect-timeout 5 https://kubernetes.io | head -1`, { kind: 'probe', pod: '${BACKEND}', call: { client: 'curl', url: 'https://kubernetes.io', method: 'HEAD', connectTimeout: 5 } }],
    [`kubectl -n monitoring exec -ti $MONITORING -- curl -I backend.default.svc.cluster.local:8080`, { kind: 'probe', namespace: 'monitoring', call: { client: 'curl', url: 'backend.default.svc.cluster.local:8080', method: 'HEAD' } }],
    [`kubectl exec -ti $FRONTEND -- curl -I -- $BACKEND_IP:8080 | head -1`, { kind: 'probe', call: { client: 'curl', url: '$BACKEND_IP:8080', method: 'HEAD' } }],
    [`kubectl exec deploy/frontend -- curl -sS -X POST -H 'X: y' http://backend:8080/api`, { kind: 'probe', pod: 'deploy/frontend', call: { client: 'curl', url: 'http://backend:8080/api', method: 'POST' } }],
    [`kubectl exec $X -- curl -m 3 backend:8080`, { kind: 'probe', call: { client: 'curl', url: 'backend:8080', method: 'GET' } }],
    [`kubectl apply -f -`, { kind: 'unsupported' }],
    [`kubectl patch netpol a -p '{}'`, { kind: 'unsupported' }],
    [`kubectl -n kube-system exec <podname> -- cilium endpoint list`, { kind: 'other' }],
    [`hubble observe --from-label app=not-frontend`, { kind: 'other', program: 'hubble' }],
  ])('%s', (line, expected) => {
    expect(parseCommandLine(line)[0]).toMatchObject(expected);
  });
});
