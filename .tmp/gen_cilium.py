import os, textwrap
D='suites/conformance/cilium'
HEAD='''# Written from Cilium's connectivity tests (Apache-2.0, Authors of Cilium), as vendored in cilium/cilium-cli:
#   vendor/github.com/cilium/cilium/cilium-cli/connectivity/builder/{go}
#   policies: {yamls}
# {why}
name: 'cilium {n:02d}: {test}'
source: 'cilium-cli connectivity test "{test}" (cilium-cli/connectivity/builder/{go})'
manifestDir: ../../../manifests
apps: [cilium-connectivity]
pods: {{label: name}}
probe: {{connectTimeout: 2}}
external:
  one.one.one.one: {{ "80": 200, "443": 200 }}
  cilium.io: {{ "80": 200, "443": 200 }}
steps:
'''
C='cilium-test/client'; C2='cilium-test/client2'
ECHO='echo-same-node:8080'; ECHO2='echo-other-node:8080'
PE='pod-ip:cilium-test/echo-same-node:8080'; PE2='pod-ip:cilium-test/echo-other-node:8080'
def P(kind,name,spec,ns=True):
    meta = f"{{ name: {name}, namespace: cilium-test }}" if ns else f"{{ name: {name} }}"
    api = 'policy.networking.k8s.io/v1alpha2' if kind=='ClusterNetworkPolicy' else 'cilium.io/v2'
    body = textwrap.indent(textwrap.dedent(spec).strip('\n'), '            ')
    return f"      - apiVersion: {api}\n        kind: {kind}\n        metadata: {meta}\n        spec:\n{body}\n"
def cnp(name, spec): return P('CiliumNetworkPolicy', name, spec)
ONLY_DNS = cnp('client-egress-only-dns', '''
endpointSelector: { matchLabels: { kind: client } }
egress:
- toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, "k8s:k8s-app": kube-dns } }]
  toPorts: [{ ports: [{ port: "53", protocol: UDP }, { port: "53", protocol: TCP }], rules: { dns: [{ matchPattern: "*" }] } }]
''')
ALLOW_ALL_EGRESS = cnp('allow-all-egress', '''
endpointSelector: {}
egress:
- toEndpoints: [{ matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }]
- toCIDR: [0.0.0.0/0]
''')
ALLOW_ALL_INGRESS = cnp('allow-all-ingress', '''
endpointSelector: {}
ingress:
- fromEntities: [all]
''')
def step(name, policies, expect):
    out = "  - name: " + repr(name).replace("\"", "") + "\n"
    if policies: out += "    apply:\n" + ''.join(policies)
    out += "    expect:\n" + ''.join(f"      {k}: {v}\n" for k,v in expect)
    return out
S=[]
def suite(test, go, yamls, why, steps): S.append((test, go, yamls, why, steps))

suite('no-policies','no_policies.go','none','Every scenario is ResultOK: pod to pod, pod to Service, pod to world, ping.',[step('no policy',[],[
 (f'{C} -> {ECHO}','"ok:200"'),(f'{C2} -> {ECHO2}','"ok:200"'),(f'{C} -> https://one.one.one.one','"ok:200"'),(f'{C} -> icmp://pod-ip:cilium-test/echo-same-node','ok'),(f'{C} -> icmp://pod-ip:cilium-test/client2','ok')])])
suite('all-ingress-deny','all_ingress_deny.go','deny-all-ingress.yaml','PodToPod: ResultDrop / ResultDefaultDenyIngressDrop; PodToCIDR (outside addresses): ResultOK.',[step('ingress: [{}] on every endpoint',[cnp('all-ingress-deny','endpointSelector: {}\ningress:\n- {}\n')],[
 (f'{C} -> {PE}','connect-timeout'),(f'{C2} -> {PE2}','connect-timeout'),(f'{C} -> https://one.one.one.one','"ok:200"'),(f'{C} -> icmp://pod-ip:cilium-test/client2','connect-timeout')])])
suite('all-egress-deny','all_egress_deny.go','deny-all-egress.yaml','Every scenario from a client is dropped at egress (DNS included, so a name never resolves).',[step('egress: [{}] on every endpoint',[cnp('all-egress-deny','endpointSelector: {}\negress:\n- {}\n')],[
 (f'{C} -> {PE}','connect-timeout'),(f'{C} -> {ECHO}','dns-timeout'),(f'{C2} -> https://one.one.one.one','denied'),(f'{C} -> icmp://pod-ip:cilium-test/echo-same-node','connect-timeout')])])
suite('cluster-entity','cluster_entity.go','allow-cluster-entity.yaml','Clients may reach the cluster entity only: echo is ResultOK; the world is not in the cluster.',[step('egress toEntities cluster from clients',[cnp('entity-cluster','endpointSelector: { matchLabels: { kind: client } }\negress:\n- toEntities: [cluster]\n')],[
 (f'{C} -> {ECHO}','"ok:200"'),(f'{C2} -> {PE2}','"ok:200"'),(f'{C} -> https://one.one.one.one','connect-timeout')])])
suite('client-egress-expression','client_egress_expression.go','client-egress-to-echo-expression.yaml','The policy selects endpoints with an other label (client2): it may reach kind=echo on 8080 and nothing else; client is not selected.',[step('egress to echo by matchExpressions',[cnp('client-egress-to-echo-expression','''
endpointSelector: { matchExpressions: [{ key: other, operator: Exists }] }
egress:
- toPorts: [{ ports: [{ port: "8080", protocol: TCP }] }]
  toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: cilium-test, kind: echo }, matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }]
''')],[(f'{C2} -> {PE}','"ok:200"'),(f'{C2} -> {PE2}','"ok:200"'),(f'{C2} -> icmp://pod-ip:cilium-test/client','connect-timeout'),(f'{C} -> {ECHO}','"ok:200"')])])
suite('client-egress-to-echo-service-account','client_egress_to_echo_service_account.go','client-egress-to-echo-service-account.yaml','Only echo-same-node (service account echo-same-node) is ResultOK; other destinations are ResultDefaultDenyEgressDrop.',[step('egress to the echo-same-node service account',[cnp('client-egress-to-echo-service-account','''
endpointSelector: { matchLabels: { kind: client } }
egress:
- toPorts: [{ ports: [{ port: "8080", protocol: TCP }] }]
  toEndpoints: [{ matchLabels: { io.cilium.k8s.policy.serviceaccount: echo-same-node } }]
''')],[(f'{C} -> {PE}','"ok:200"'),(f'{C2} -> {PE}','"ok:200"'),(f'{C} -> {PE2}','connect-timeout'),(f'{C2} -> {PE2}','connect-timeout')])])
suite('echo-ingress-from-other-client-deny','echo_ingress_from_other_client_deny.go','allow-all-egress.yaml, allow-all-ingress.yaml, echo-ingress-from-other-client-deny.yaml','other=client to kind=echo: ResultDrop / ResultPolicyDenyIngressDrop; everything else ResultOK.',[step('allow all, then deny other=client into echo',[ALLOW_ALL_EGRESS,ALLOW_ALL_INGRESS,cnp('echo-ingress-from-other-client-deny','''
endpointSelector: { matchLabels: { kind: echo } }
ingressDeny:
- fromEndpoints: [{ matchLabels: { other: client }, matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }]
''')],[(f'{C} -> {PE}','"ok:200"'),(f'{C2} -> {PE}','connect-timeout'),(f'{C2} -> {PE2}','connect-timeout'),(f'{C2} -> icmp://pod-ip:cilium-test/client','ok')])])
ECHO_L7 = cnp('echo-ingress-l7-http','''
endpointSelector: { matchLabels: { kind: echo } }
ingress:
- fromEndpoints: [{ matchLabels: { other: client }, matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }]
  toPorts:
  - ports: [{ port: "8080", protocol: TCP }]
    rules:
      http:
      - { method: GET, path: "/$" }
      - { method: GET, path: "/public$" }
      - { method: GET, path: "/private$", headers: ["X-Very-Secret-Token: 42"] }
''')
suite('echo-ingress-l7','echo_ingress_l7.go','echo-ingress-l7-http.yaml','client2 may GET /, /public, and /private with X-Very-Secret-Token: 42 (else the proxy answers 403); client is dropped by default deny.',[step('L7 ingress on echo',[ECHO_L7],[
 (f'{C2} -> http://echo-same-node:8080/public','"ok:200"'),(f'{C2} -> http://echo-same-node:8080/private','"ok:403"'),(f"\"{C2} -> http://echo-same-node:8080/private -H 'X-Very-Secret-Token: 42'\"",'"ok:200"'),(f'{C2} -> POST http://echo-same-node:8080/public','"ok:403"'),(f'{C} -> {ECHO}','connect-timeout')])])
suite('client-egress-l7-method','client_egress_l7_method.go','client-egress-only-dns.yaml, client-egress-l7-http-method.yaml','client2 POSTs to /public and /private of echo: ResultOK; other requests: ResultDropCurlHTTPError (403); client: ResultDefaultDenyEgressDrop.',[step('DNS only, and POST from client2',[ONLY_DNS,cnp('client-egress-l7-http-method','''
endpointSelector: { matchLabels: { other: client } }
egress:
- toEndpoints: [{ matchLabels: { kind: echo }, matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }]
  toPorts:
  - ports: [{ port: "8080", protocol: TCP }]
    rules:
      http:
      - { method: POST, path: "/public$" }
      - { method: POST, path: "/private$" }
''')],[(f'{C2} -> POST http://echo-other-node:8080/public','"ok:200"'),(f'{C2} -> http://echo-same-node:8080/public','"ok:403"'),(f'{C} -> {ECHO}','connect-timeout')])])
suite('dns-only','dns_only.go','client-egress-only-dns.yaml','Every scenario is ResultDropCurlTimeout: names resolve through the DNS proxy, connections are dropped.',[step('DNS only from clients',[ONLY_DNS],[
 (f'{C} -> {PE}','connect-timeout'),(f'{C} -> {ECHO}','connect-timeout'),(f'{C} -> https://one.one.one.one','connect-timeout')])])
suite('to-fqdns','to_fqdns.go','client-egress-to-fqdns.yaml, client-egress-only-dns.yaml','ExternalTarget on port 80: ResultDNSOK; ExternalOtherTarget: ResultDropCurlTimeout; other ports: ResultDNSOKDropCurlTimeout.',[step('toFQDNs one.one.one.one on 80',[cnp('client-egress-to-fqdns-one.one.one.one','''
endpointSelector: { matchLabels: { kind: client } }
egress:
- toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]
  toFQDNs: [{ matchName: one.one.one.one }]
'''),ONLY_DNS],[(f'{C} -> http://one.one.one.one','"ok:200"'),(f'{C} -> https://one.one.one.one','connect-timeout'),(f'{C2} -> http://cilium.io','connect-timeout')])])
SNI = lambda name: cnp('client-egress-tls-sni',f'''
endpointSelector: {{ matchLabels: {{ kind: client }} }}
egress:
- toPorts: [{{ ports: [{{ port: "443", protocol: TCP }}], serverNames: ["{name}"] }}]
''')
suite('client-egress-tls-sni','client_egress_tls_sni.go','client-egress-tls-sni.yaml, client-egress-only-dns.yaml','Port 443 with the allowed server name: ResultOK; other ports: ResultDefaultDenyEgressDrop.',[step('SNI one.one.one.one on 443',[ONLY_DNS,SNI('one.one.one.one')],[
 (f'{C} -> https://one.one.one.one','"ok:200"'),(f'{C} -> http://one.one.one.one','connect-timeout')])])
suite('client-egress-tls-sni-denied','client_egress_tls_sni.go','client-egress-tls-sni-other.yaml, client-egress-only-dns.yaml','Port 443 to a name the rule does not list: ResultCurlSSLError (curl exit 35).',[step('SNI cilium.io only, probe one.one.one.one',[ONLY_DNS,SNI('cilium.io')],[
 (f'{C} -> https://one.one.one.one','tls-error'),(f'{C2} -> https://cilium.io','"ok:200"')])])
suite('client-egress-tls-sni-double-wildcard','client_egress_tls_sni.go','client-egress-tls-sni-double-wildcard.yaml, client-egress-only-dns.yaml','**. matches one or more labels: ResultOK for the target, ResultCurlSSLError for a name outside it (Cilium >= 1.18).',[step('SNI **.one.one',[ONLY_DNS,SNI('**.one.one')],[
 (f'{C} -> https://one.one.one.one','"ok:200"'),(f'{C} -> https://cilium.io','tls-error')])])
ICMP8 = 'icmps: [{ fields: [{ family: IPv4, type: 8 }, { family: IPv6, type: 128 }] }]'
suite('client-ingress-icmp','client_ingress_icmp.go','echo-ingress-icmp.yaml','ClientToClient: from other=client ResultOK; from client ResultDefaultDenyIngressDrop.',[step('ICMP into clients from other=client',[cnp('client-ingress-from-client2-icmp',f'''
endpointSelector: {{ matchLabels: {{ kind: client }} }}
ingress:
- fromEndpoints: [{{ matchLabels: {{ other: client }}, matchExpressions: [{{ key: io.cilium.k8s.policy.cluster, operator: Exists }}] }}]
  {ICMP8}
''')],[(f'{C2} -> icmp://pod-ip:cilium-test/client','ok'),(f'{C} -> icmp://pod-ip:cilium-test/client2','connect-timeout')])])
suite('client-ingress-from-other-client-icmp-deny','client_ingress_from_other_client_icmp_deny.go','allow-all-egress.yaml, allow-all-ingress.yaml, echo-ingress-icmp-deny.yaml','other=client to kind=client: ResultDrop / ResultPolicyDenyIngressDrop; PodToPod and the other direction: ResultOK.',[step('allow all, deny ICMP from other=client into clients',[ALLOW_ALL_EGRESS,ALLOW_ALL_INGRESS,cnp('client-ingress-from-other-client-icmp-deny',f'''
endpointSelector: {{ matchLabels: {{ kind: client }} }}
ingressDeny:
- fromEndpoints: [{{ matchLabels: {{ other: client }}, matchExpressions: [{{ key: io.cilium.k8s.policy.cluster, operator: Exists }}] }}]
  {ICMP8}
''')],[(f'{C2} -> icmp://pod-ip:cilium-test/client','connect-timeout'),(f'{C} -> icmp://pod-ip:cilium-test/client2','ok'),(f'{C2} -> {PE}','"ok:200"')])])
suite('client-egress-icmp','client_egress_icmp (manifest of the egress ICMP tests)','client-egress-icmp.yaml','Clients may send ICMP echo requests and nothing else.',[step('egress ICMP only',[cnp('client-egress-icmp',f'''
endpointSelector: {{ matchLabels: {{ kind: client }} }}
egress:
- icmps: [{{ fields: [{{ type: 8, family: IPv4 }}, {{ type: 128, family: IPv6 }}] }}]
''')],[(f'{C} -> icmp://pod-ip:cilium-test/echo-same-node','ok'),(f'{C} -> {PE}','connect-timeout')])])
CIDR='198.18.0.0/16'; EXT='198.18.217.121/32'
suite('client-egress-to-cidr-deny','client_egress_to_cidr_deny.go','allow-all-egress.yaml, client-egress-to-cidr-external-deny.yaml',f'ExternalOtherIP: ResultPolicyDenyEgressDrop; ExternalIP (the except): ResultOK. ExternalCIDR is {CIDR} here, ExternalIP one.one.one.one ({EXT}), ExternalOtherIP cilium.io.',[step('deny the external CIDR except one address',[ALLOW_ALL_EGRESS,cnp('client-egress-to-cidr-deny',f'''
endpointSelector: {{ matchLabels: {{ kind: client }} }}
egressDeny:
- toCIDRSet: [{{ cidr: {CIDR}, except: [{EXT}] }}]
''')],[(f'{C} -> https://198.18.217.121','"ok:200"'),(f'{C} -> https://198.18.6.18','connect-timeout'),(f'{C} -> {PE}','"ok:200"')])])
suite('client-egress-to-cidrgroup-deny','client_egress_to_cidrgroup_deny.go','client-egress-to-cidrgroup-external-deny.yaml (its CiliumCIDRGroup), allow-all-egress.yaml','The same verdicts through a CiliumCIDRGroup: ExternalOtherIP denied.',[step('deny a CIDR group',[ALLOW_ALL_EGRESS,"      - apiVersion: cilium.io/v2\n        kind: CiliumCIDRGroup\n        metadata: { name: cilium-test-external-cidr }\n        spec: { externalCIDRs: ['198.18.6.18/32'] }\n",cnp('client-egress-to-cidrgroup-deny','''
endpointSelector: { matchLabels: { kind: client } }
egressDeny:
- toCIDRSet: [{ cidrGroupRef: cilium-test-external-cidr }]
''')],[(f'{C} -> https://198.18.217.121','"ok:200"'),(f'{C} -> https://198.18.6.18','connect-timeout')])])
suite('egress-to-specific-namespace','egress_to_specific_namespace.go','allow-egress-specific-ns-ccnp.yaml','A CiliumClusterwideNetworkPolicy selecting clients by namespace label: egress only to endpoints of one namespace (here cilium-test itself: kube-dns is outside it).',[step('clusterwide egress to cilium-test only',[P('CiliumClusterwideNetworkPolicy','allow-egress-specific-namespace-ccnp','''
endpointSelector: { matchLabels: { io.kubernetes.pod.namespace: cilium-test, kind: client } }
egress:
- toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: cilium-test } }]
''',ns=False)],[(f'{C} -> {PE}','"ok:200"'),(f'{C} -> {ECHO}','dns-timeout'),(f'{C2} -> https://one.one.one.one','denied')])])
suite('echo-ingress-from-client-tiered-wildcard-pass-l7','echo_ingress_l7.go','echo-ingress-from-client-tiered-wildcard-pass-l7.yaml','A ClusterNetworkPolicy (Admin tier) passes name=client to the CiliumNetworkPolicy (L7, GET) and denies the rest: client ResultOK, client2 dropped (Cilium >= 1.20, KCNP enabled).',[step('tiered Pass to an L7 policy',[P('ClusterNetworkPolicy','echo-ingress-from-client-tiered-wildcard-pass-l7','''
tier: Admin
priority: 0
subject: { pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: cilium-test } }, podSelector: { matchLabels: { kind: echo } } } }
ingress:
- action: Accept
  from: [{ pods: { podSelector: { matchExpressions: [{ key: "reserved:host", operator: Exists }] } } }]
- action: Accept
  from: [{ pods: { podSelector: {} } }]
  protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }]
- action: Pass
  from: [{ pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: cilium-test } }, podSelector: { matchLabels: { name: client }, matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] } } }]
- action: Deny
  from: [{ namespaces: {} }]
''',ns=False),cnp('echo-ingress-from-client-tiered-wildcard-pass-l7','''
endpointSelector: { matchLabels: { kind: echo } }
ingress:
- fromEntities: ["all"]
  toPorts: [{ ports: [{ port: "8080", protocol: TCP }], rules: { http: [{ method: GET }] } }]
''')],[(f'{C} -> {ECHO}','"ok:200"'),(f'{C} -> POST {"http://echo-same-node:8080/"}','"ok:403"'),(f'{C2} -> {ECHO}','connect-timeout')])])

# Every suite starts from no policy, where both clients reach echo: a deny later proves something only from a source
# that has connected (the runner's rule), as cilium-cli's no-policies test runs first.
BASELINE = step('baseline, no policy', [], [(f'{C} -> {PE}', '"ok:200"'), (f'{C2} -> {PE2}', '"ok:200"')])
for i,(test,go,yamls,why,steps) in enumerate(S,1):
    text = HEAD.format(n=i,test=test,go=go if go.endswith('.go') else go,yamls=yamls,why=why) + ''.join(([] if i == 1 else [BASELINE]) + steps)
    open(f'{D}/{i:02d}-{test}.suite.yaml','w').write(text)
print(len(S))
