import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/tutorials/read/commands.ts';
import { endsInQuote, maskPlaceholders, parseShellLine, PLACEHOLDER_MARK, ShellSyntaxError } from '../../src/tutorials/read/shell.ts';

describe('shell lines', () => {
  it('keeps quoted words and $(...) whole, drops comments, splits pipes and lists', () => {
    expect(parseShellLine(`FRONTEND=$(kubectl get pods -l app=frontend -o json | jq -r '.items[0].metadata.name') # note`)).toEqual([[[`FRONTEND=$(kubectl get pods -l app=frontend -o json | jq -r '.items[0].metadata.name')`]]]);
    expect(parseShellLine(`kubectl exec -ti "$X" -- curl -I a:1 | head -1 && echo done; cilium hubble port-forward&`)).toEqual([
      [
        ['kubectl', 'exec', '-ti', '$X', '--', 'curl', '-I', 'a:1'],
        ['head', '-1'],
      ],
      [['echo', 'done']],
      [['cilium', 'hubble', 'port-forward']],
    ]);
  });

  it('reads a quote left open as going on on the next line, and a placeholder as no quote', () => {
    // workshop-ibm-calico-networkpolicy/docs/calico/networkpolicy.md:173-181
    expect(endsInQuote(`echo 'apiVersion: networking.k8s.io/v1`)).toBe(true);
    expect(endsInQuote(`echo 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n  - Egress' > helloworld-policy-denyall.yaml`)).toBe(false);
    expect(endsInQuote(`echo "it's" # it's fine`)).toBe(false);
    expect(endsInQuote(`echo it\\'s`)).toBe(false);
    // course-ckad-exercises-services/f.services.md:39 and :137; calico-istio-alp/.../enforce-policy-istio.mdx:114
    expect(maskPlaceholders(`wget -O- [PUT THE POD'S IP ADDRESS HERE]:80`)).toEqual({ line: `wget -O- ${PLACEHOLDER_MARK}:80`, placeholders: [`[PUT THE POD'S IP ADDRESS HERE]`] });
    expect(maskPlaceholders(`wget -O- <POD_IP>:8080 # do not try with pod name`).placeholders).toEqual(['<POD_IP>']);
    expect(maskPlaceholders(`kubectl exec -ti customer-<fill in pod ID> -c customer -- bash`).line).toBe(`kubectl exec -ti customer-${PLACEHOLDER_MARK} -c customer -- bash`);
    // Here-documents, redirections and character classes are not placeholders.
    for (const line of [`cat <<EOF > policy.yaml`, `curl -s web 2>/dev/null | tr '[A-Z]' '[a-z]'`, `kubectl apply -f - <<'EOF'`]) expect(maskPlaceholders(line).placeholders).toEqual([]);
  });

  it('keeps a backslash within double quotes unless it escapes $ ` " or \\, as bash does', () => {
    // tutorials/corpus/cilium-istio/Documentation/network/servicemesh/istio.rst:92 (cilium/cilium 9f764f97).
    expect(parseShellLine(`curl http://httpbin.blue/ip -s -o /dev/null -m 1 -w "client 'green' to server 'blue': %{http_code}\\n"`)[0]![0]!.at(-1)).toBe("client 'green' to server 'blue': %{http_code}\\n");
    expect(parseShellLine(`echo "a \\"b\\" \\$HOME \\\\ c"`)[0]![0]).toEqual(['echo', 'a "b" $HOME \\ c']);
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
    [`kubectl apply -f -`, { kind: 'stdin', verb: 'apply' }],
    [`cat <<EOF | kubectl -n shop create -f -`, { kind: 'stdin', verb: 'apply', namespace: 'shop' }],
    [`kubectl apply -f - << 'EOF'`, { kind: 'stdin', verb: 'apply' }],
    [`cat policy.yaml | kubectl apply -f -`, { kind: 'apply', files: ['policy.yaml'] }],
    [`! kubectl run -it --rm --restart=Never curl --image=appropriate/curl --command -- curl --max-time 3 -s -o /dev/null -w "%{http_code}" hello:8080`, { kind: 'run', probe: { client: 'curl', prints: 'code', url: 'hello:8080' } }],
    [`kubectl exec $X -- timeout 5 wget -q -O- http://web:80`, { kind: 'probe', call: { client: 'wget', url: 'http://web:80' } }],
    [`kubectl patch netpol a -p '{}'`, { kind: 'unsupported' }],
    [`kubectl -n kube-system exec <podname> -- cilium endpoint list`, { kind: 'other' }],
    [`hubble observe --from-label app=not-frontend`, { kind: 'other', program: 'hubble' }],
    // curl as tutorials write it: attached values, bundles, long options, data implying POST.
    [`kubectl exec $X -- curl -XPUT -H'Host: shop' --max-time 3 backend:8080/a`, { kind: 'probe', call: { client: 'curl', url: 'backend:8080/a', method: 'PUT', prints: 'body' } }],
    [`kubectl exec $X -- curl --request=DELETE backend`, { kind: 'probe', call: { method: 'DELETE' } }],
    [`kubectl exec $X -- curl -d a=1 backend`, { kind: 'probe', call: { method: 'POST' } }],
    [`kubectl exec $X -- curl -G --data-urlencode q=1 backend`, { kind: 'probe', call: { method: 'GET' } }],
    [`kubectl exec $X -- curl -sSI backend`, { kind: 'probe', call: { method: 'HEAD', prints: 'headers' } }],
    [`kubectl exec $X -- curl -so/dev/null -w%{http_code} backend`, { kind: 'probe', call: { prints: 'code', url: 'backend' } }],
    [`kubectl exec $X -- sh -c 'curl -s --connect-timeout 4 backend:8080'`, { kind: 'probe', call: { connectTimeout: 4 } }],
    [`kubectl exec $X -- wget -qO- -T2 http://backend`, { kind: 'probe', call: { client: 'wget', prints: 'body', connectTimeout: 2 } }],
    [`kubectl exec $X -- wget --spider --timeout=1 backend`, { kind: 'probe', call: { client: 'wget', prints: 'exists', connectTimeout: 1 } }],
    [`kubectl exec $X -- nc -zvw3 backend 8080`, { kind: 'probe', call: { client: 'nc', url: 'tcp://backend:8080', connectTimeout: 3, prints: 'exists' } }],
    [`kubectl exec $X -- nc -zuv dns 53`, { kind: 'probe', call: { url: 'udp://dns:53' } }],
    [`kubectl exec $X -- /agnhost connect backend:8080 --timeout=5s --protocol=sctp`, { kind: 'probe', call: { client: 'agnhost', url: 'sctp://backend:8080', connectTimeout: 5 } }],
    [`kubectl exec $X -- ping -c1 backend`, { kind: 'probe', call: { client: 'ping', url: 'icmp://backend', prints: 'exists' } }],
    [`kubectl exec $X -- ping -6 -c1 backend`, { kind: 'skipped' }],
    // Clients the harness does not run: found, never checked (cilium-elasticsearch elasticsearch.rst:70, cilium-grpc
    // grpc.rst:133, calico-windows-demo demo.mdx:169; cilium/cilium 9f764f97, tigera/docs f2a27624).
    [`kubectl exec outpost -- python upload_logs.py`, { kind: 'probe', call: { client: 'program', url: 'python upload_logs.py' } }],
    [`kubectl exec terminal-87 -- python3 /cloudcity/cc_door_client.py GetName 1`, { kind: 'probe', call: { client: 'program' } }],
    [`kubectl exec -n calico-demo pwsh -- powershell Invoke-WebRequest -Uri http://10.0.0.1 -UseBasicParsing -TimeoutSec 5`, { kind: 'probe', call: { client: 'program' } }],
    [`kubectl exec -it $X -- python`, { kind: 'other' }],
    [`kubectl exec $X -- cat /etc/resolv.conf`, { kind: 'other' }],
    [`kubectl exec $X -- ping6 -c1 backend`, { kind: 'skipped' }],
    // State from kubectl's own generators.
    [`kubectl run tmp --rm -it --image=busybox -- sh`, { kind: 'run', name: 'tmp', labels: { run: 'tmp' }, rm: true, session: true }],
    [`kubectl run --rm -i -t --image=alpine test-$RANDOM -- sh`, { kind: 'run', name: 'test-random', labels: { run: 'test-random' }, session: true }],
    [`kubectl run --namespace=policy-demo access --rm -ti --image busybox /bin/sh`, { kind: 'run', name: 'access', namespace: 'policy-demo', session: true }],
    // -it --rm with no command: a throwaway shell, unless the catalog knows the image runs something else.
    [`kubectl run --rm -it --image=mcr.microsoft.com/dotnet/runtime-deps:6.0 network-policy --namespace development`, { kind: 'run', name: 'network-policy', session: true }],
    [`kubectl run -it --image=mcr.microsoft.com/dotnet/runtime-deps:6.0 keep`, { kind: 'run', name: 'keep', session: false }],
    [`kubectl run --rm -it --image=nginx web`, { kind: 'run', name: 'web', session: false }],
    [`kubectl run Web --image=nginx`, { kind: 'unsupported' }],
    [`kubectl run web --image nginx -l app=web,tier=front --expose --port 80 -n shop`, { kind: 'run', namespace: 'shop', labels: { app: 'web', tier: 'front' }, expose: { port: 80 }, port: 80, session: false }],
    [`kubectl run t --rm -i --restart=Never --image=busybox -- wget -qO- web`, { kind: 'run', rm: true, session: false, probe: { client: 'wget', url: 'web' } }],
    [`kubectl exec -ti shell-pod -- /bin/ash`, { kind: 'session', pod: 'shell-pod' }],
    [`kubectl create deployment web --image=nginx --replicas=2`, { kind: 'create', objects: [{ kind: 'Deployment', spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } } }] }],
    [`kubectl create service clusterip web --tcp=80:8080`, { kind: 'create', objects: [{ kind: 'Service', spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }] }],
    [`kubectl expose deploy/web --port=80 --target-port=8080 --name=front`, { kind: 'expose', kindName: 'Deployment', name: 'web', service: 'front', port: 80, targetPort: 8080 }],
    [`kubectl scale deployment web --replicas=0`, { kind: 'scale', kindName: 'Deployment', name: 'web', replicas: 0 }],
    [`kubectl scale sts/kafka --replicas=3 -n kafka`, { kind: 'scale', kindName: 'StatefulSet', name: 'kafka', replicas: 3, namespace: 'kafka' }],
    [`kubectl scale ds/agent --replicas=3`, { kind: 'unsupported' }],
    // The EKS workshop's ingress chapter (aws-eks-workshop-netpol): status only watches; restart replaces the pods.
    [`kubectl rollout status deployment/catalog -n catalog --timeout=2m`, { kind: 'other', program: 'kubectl rollout status' }],
    [`kubectl rollout restart deployment/catalog -n catalog`, { kind: 'restart', kindName: 'Deployment', name: 'catalog', namespace: 'catalog' }],
    [`kubectl rollout undo deployment/catalog`, { kind: 'unsupported' }],
    [`kubectl expose rs/web --port=80`, { kind: 'expose', kindName: 'ReplicaSet', name: 'web', port: 80 }],
    [
      `kubectl delete statefulset/catalog-mysql ds/agent rs/web`,
      {
        kind: 'delete',
        targets: [
          { kindName: 'StatefulSet', name: 'catalog-mysql' },
          { kindName: 'DaemonSet', name: 'agent' },
          { kindName: 'ReplicaSet', name: 'web' },
        ],
      },
    ],
    [`kubectl exec statefulset/catalog-mysql -n catalog -- curl -s catalog:80`, { kind: 'probe', pod: 'statefulset/catalog-mysql', namespace: 'catalog' }],
    [`kubectl patch deployment web -p '{}'`, { kind: 'unsupported' }],
    [
      `kubectl delete pod,svc web`,
      {
        kind: 'delete',
        targets: [
          { kindName: 'Pod', name: 'web' },
          { kindName: 'Service', name: 'web' },
        ],
      },
    ],
    [
      `kubectl delete deploy/a svc/b`,
      {
        kind: 'delete',
        targets: [
          { kindName: 'Deployment', name: 'a' },
          { kindName: 'Service', name: 'b' },
        ],
      },
    ],
    [`kubectl label namespace/dev team=a --overwrite`, { kind: 'label', target: 'namespace', name: 'dev', set: { team: 'a' } }],
    [`kubectl label ns dev team-`, { kind: 'label', target: 'namespace', name: 'dev', set: { team: null } }],
    [`kubectl label pods tmp role=client`, { kind: 'label', target: 'pod', name: 'tmp', set: { role: 'client' } }],
    [`helm install cilium cilium/cilium --namespace kube-system`, { kind: 'external', program: 'helm install' }],
    [`cilium connectivity test`, { kind: 'external', program: 'cilium connectivity test' }],
    [`cilium status --wait`, { kind: 'other' }],
    [`for i in 1 2; do kubectl exec $X -- curl -s backend; done`, { kind: 'other', program: 'for' }],
    [`done`, { kind: 'syntax' }],
    [`fi`, { kind: 'syntax' }],
    [`kubectl exec $X -- timeout`, { kind: 'other', program: 'timeout' }],
    // course-ckad-exercises-services/f.services.md:38: -it and no command: busybox's own CMD, a shell.
    [`kubectl run busybox --rm --image=busybox -it --restart=Never --`, { kind: 'run', name: 'busybox', session: true }],
    [`kubectl run web --rm -it --image=nginx`, { kind: 'run', session: false }],
    // calico-istio-alp/.../enforce-policy-istio.mdx:224: the command after the pod, without `--`.
    [`kubectl exec -ti customer-x -c customer bash`, { kind: 'session', pod: 'customer-x' }],
    [`kubectl -n ui exec deployment/ui -- curl -s http://catalog.catalog/health`, { kind: 'probe', namespace: 'ui', pod: 'deployment/ui' }],
    // aws-eks-workshop-netpol/.../debug.md:41: a shell on a node; on a pod, a container in its network namespace.
    [`kubectl debug node/$POD_HOSTIP_1 -it --image=ubuntu`, { kind: 'session', pod: 'node/$POD_HOSTIP_1', node: '$POD_HOSTIP_1' }],
    [`kubectl debug -it web-0 --image=busybox --target=web`, { kind: 'session', pod: 'web-0' }],
    [`kubectl debug -it web-0 --image=busybox --copy-to=web-debug -- sh`, { kind: 'session', pod: 'web-debug' }],
    [`kubectl debug web-0 --image=busybox -- wget -qO- backend`, { kind: 'probe', pod: 'web-0', call: { client: 'wget' } }],
    // workshop-ibm-calico-networkpolicy/docs/calico/networkpolicy.md:173: a manifest echoed into a file, or into kubectl.
    [`echo 'kind: NetworkPolicy\nspec: {}' > deny.yaml`, { kind: 'write', file: 'deny.yaml', content: 'kind: NetworkPolicy\nspec: {}' }],
    [`echo 'kind: NetworkPolicy' | kubectl apply -n dev -f -`, { kind: 'stdin', verb: 'apply', namespace: 'dev', content: 'kind: NetworkPolicy' }],
    [`cat <<EOF > deny.yaml`, { kind: 'write', file: 'deny.yaml' }],
    [`echo hello >> log.txt`, { kind: 'other', program: 'echo' }],
    // Name lookups in a pod (k8s-debug-service/.../debug-service.md:230, workshop-aks-labs-acns/docs/networking/acns-lab.md:750).
    [`kubectl exec $X -- nslookup hostnames.default`, { kind: 'probe', call: { client: 'dns', url: 'dns://hostnames.default' } }],
    [`kubectl exec -n pets -it $X -- sh -c 'nslookup order-service'`, { kind: 'probe', call: { client: 'dns', url: 'dns://order-service' } }],
    // dig asks for the name as written (no search list without +search): the absolute name.
    [
      `kubectl exec $X -- dig @10.0.0.10 A hostnames.default.svc.cluster.local +short`,
      { kind: 'probe', call: { client: 'dns', url: 'dns://hostnames.default.svc.cluster.local.', unprobed: "it asks the server 10.0.0.10 directly; the harness asks the pod's own resolver" } },
    ],
    [`kubectl exec $X -- dig +short hostnames`, { kind: 'probe', call: { client: 'dns', lookup: 'dig', url: 'dns://hostnames.' } }],
    [`kubectl exec $X -- dig +search hostnames`, { kind: 'probe', call: { client: 'dns', lookup: 'dig', url: 'dns://hostnames' } }],
    [`kubectl exec $X -- nslookup -type=AAAA hostnames`, { kind: 'probe', call: { client: 'dns', url: 'dns://hostnames', unprobed: 'it asks for AAAA records; the harness asks for addresses (A)' } }],
    [`kubectl exec $X -- host -W 2 hostnames`, { kind: 'probe', call: { client: 'dns', lookup: 'host', url: 'dns://hostnames' } }],
    [`kubectl exec $X -- getent hosts web`, { kind: 'probe', call: { client: 'dns', url: 'dns://web' } }],
    [`nslookup hostnames.default.svc.cluster.local 10.0.0.10`, { kind: 'skipped' }],
  ])('%s', (line, expected) => {
    expect(parseCommandLine(line)[0]).toMatchObject(expected);
  });
});
