// The pods every kind cluster runs that probes reach: CoreDNS behind kube-dns.
import type { ImageEntry } from '../types.ts';
import { pathOf, reply } from '../http.ts';

const COREDNS = 'coredns/coredns@v1.14.7';

/**
 * CoreDNS as kubeadm configures it on kind: `.:53` with the health, ready and prometheus :9153 plugins (kubeadm's
 * Corefile; cluster/addons/dns/coredns/coredns.yaml.in has the same). The image is distroless static: no shell, no
 * clients.
 */
export const COREDNS_IMAGE: ImageEntry = {
  repositories: ['registry.k8s.io/coredns/coredns'],
  readAt: 'v1.14.7',
  // The Corefile, not the image, decides the ports; kind's has been the same for every CoreDNS kind ships.
  tags: () => true,
  base: 'gcr.io/distroless/static-debian12 (no libc: a static Go binary)',
  client: { resolver: 'go', curl: '7.88', ping: 'iputils' },
  tools: [],
  listens: () => ({
    sockets: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
      { port: 8080, protocol: 'TCP', http: (_m, target) => reply(pathOf(target) === '/health' ? 200 : 404) },
      { port: 8181, protocol: 'TCP', http: (_m, target) => reply(pathOf(target) === '/ready' ? 200 : 404) },
      { port: 9153, protocol: 'TCP', http: (_m, target) => reply(pathOf(target) === '/metrics' ? 200 : 404) },
    ],
  }),
  sources: [
    { repo: COREDNS.split('@')[0]!, ref: 'v1.14.7-15-g4b26cced3', path: 'Dockerfile', lines: '2,11,22-23', fact: 'FROM distroless/static-debian12:nonroot; ENTRYPOINT /coredns; EXPOSE 53 53/udp' },
    { repo: 'coredns/coredns', ref: 'v1.14.7-15-g4b26cced3', path: 'plugin/health/health.go', lines: '36,62', fact: 'health listens on :8080 and answers 200 OK on /health' },
    { repo: 'coredns/coredns', ref: 'v1.14.7-15-g4b26cced3', path: 'plugin/ready/setup.go', lines: '70', fact: 'ready listens on :8181' },
    { repo: 'kubernetes/kubernetes', ref: 'master', path: 'cmd/kubeadm/app/phases/addons/dns/manifests.go', fact: 'Corefile .:53 { errors health ready kubernetes ... prometheus :9153 forward . /etc/resolv.conf ... }' },
  ],
};
