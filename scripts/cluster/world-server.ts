// The suites' outside world on the kind network: one nginx container holding every world address the suites use
// that nothing on the internet answers (each external name's own address, and TEST-NET literals such as the ipBlock
// cases' 198.51.100.x), and a route to it for each of those addresses on every kind node. Pods reach it through
// their node, so a cell means on kind what it means on the model.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OFFLINE_TLS, offlineServerConfig } from '../../src/backends/kube/offline-fqdn.ts';
import type { WorldHost } from '../../src/world/world.ts';
import { isReservedAddress } from '../../src/world/world.ts';
import { run } from './run.ts';
import { REPO } from './versions.ts';

export const WORLD_SERVER = (cluster: string) => `${cluster}-world`;

/** docker inspect's template for a container's address on the kind network: one argv element, never shell text. */
export const KIND_NETWORK_IP = '{{(index .NetworkSettings.Networks "kind").IPAddress}}';

/** The hosts the world server must hold: those whose address no network outside would answer. */
export const servedHosts = (hosts: readonly WorldHost[]) => hosts.filter((h) => isReservedAddress(h.ip));

/** Run inside the world server (busybox ip in nginx:alpine): it answers for the address. */
export const holdAddress = (address: string) => ['ip', 'addr', 'add', `${address}/32`, 'dev', 'lo'];
/** Run on every kind node (iproute2): the address is reached through the world server. `replace`, so a resumed bring-up can run it again. */
export const routeThrough = (address: string, via: string) => ['ip', 'route', 'replace', `${address}/32`, 'via', via];

export interface WorldServer {
  /** The container's own address on the kind network, the next hop of the nodes' routes. */
  ip: string;
  addresses: string[];
}

export async function startWorldServer(options: { cluster: string; kind: string; image: string; hosts: readonly WorldHost[] }): Promise<WorldServer> {
  const hosts = servedHosts(options.hosts);
  const addresses = [...new Set(hosts.map((h) => h.ip))].sort();
  const container = WORLD_SERVER(options.cluster);
  const dir = path.join(REPO, '.tools/world-server');
  await mkdir(dir, { recursive: true });
  // A throw-away, self-signed certificate: the HTTPS probes do not verify it (curl -k, src/probe/command.ts).
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=netpol-e2e-world', '-keyout', path.join(dir, 'tls.key'), '-out', path.join(dir, 'tls.crt')]);
  await writeFile(path.join(dir, 'default.conf'), offlineServerConfig(hosts));
  await run('docker', ['rm', '-f', container], { nothrow: true, quiet: true });
  // NET_ADMIN: the container adds the world addresses to its own loopback (docker gives it one address per network).
  await run('docker', ['run', '-d', '--name', container, '--network', 'kind', '--cap-add', 'NET_ADMIN', '-v', `${path.join(dir, 'default.conf')}:/etc/nginx/conf.d/default.conf:ro`, '-v', `${dir}:${OFFLINE_TLS}:ro`, options.image]);
  const ip = (await run('docker', ['inspect', '-f', KIND_NETWORK_IP, container], { quiet: true })).stdout.trim();
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`the world server has no address on the kind network (docker inspect printed ${JSON.stringify(ip)})`);
  for (const address of addresses) await run('docker', ['exec', container, ...holdAddress(address)]);
  const nodes = (await run(options.kind, ['get', 'nodes', '--name', options.cluster], { quiet: true })).stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (nodes.length === 0) throw new Error(`kind lists no nodes for cluster ${options.cluster}`);
  for (const node of nodes) for (const address of addresses) await run('docker', ['exec', node, ...routeThrough(address, ip)]);
  return { ip, addresses };
}

/**
 * Whether the nodes' kernel can serve SCTP. kind nodes share the host kernel and carry kmod with the host's
 * /lib/modules mounted (kind: images/base/Dockerfile, pkg/cluster/internal/providers/docker/provision.go), so
 * loading the module from a node works wherever the host has it; /proc/sys/net/sctp exists once it is loaded.
 */
export async function nodesHaveSctp(node: string): Promise<boolean> {
  await run('docker', ['exec', node, 'modprobe', 'sctp'], { nothrow: true, quiet: true });
  return (await run('docker', ['exec', node, 'test', '-d', '/proc/sys/net/sctp'], { nothrow: true, quiet: true })).exitCode === 0;
}
