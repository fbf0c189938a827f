// CoreDNS entries for hermetic FQDN targets: a hosts block, marked as netpol-e2e's, that answers each of the
// tutorials' external names with its own address (world/world.ts), held by the world server on the kind network, and
// passes every other name on. cluster:up writes it; `run --offline-fqdn` checks, before touching the cluster, that it
// answers every name the suites probe with the address the model gives that name.
import type { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../../input/input-error.ts';
import type { WorldHost } from '../../world/world.ts';
import { ObjectApi } from './object-api.ts';
const BEGIN = '# netpol-e2e offline FQDN targets: begin';
const END = '# netpol-e2e offline FQDN targets: end';

export interface HostEntry {
  name: string;
  ip: string;
}

export function withOfflineHosts(corefile: string, entries: readonly HostEntry[]): string {
  for (const { name, ip } of entries) {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`not an IPv4 address: ${ip}`);
    if (!/^[a-z0-9.-]+$/i.test(name)) throw new Error(`not a DNS name: ${name}`);
  }
  const clean = withoutOfflineHosts(corefile);
  const server = /^\.:53 \{\n/m.exec(clean);
  if (!server) throw new Error('the Corefile has no ".:53 {" server block');
  const lines = [...new Set(entries.map(({ name, ip }) => `        ${ip} ${name}`))].sort();
  const block = [`    ${BEGIN}`, '    hosts {', ...lines, '        fallthrough', '    }', `    ${END}`, ''].join('\n');
  const at = server.index + server[0].length;
  return clean.slice(0, at) + block + clean.slice(at);
}

export function withoutOfflineHosts(corefile: string): string {
  return corefile.replace(new RegExp(`^ *${BEGIN}\\n[\\s\\S]*?^ *${END}\\n`, 'm'), '');
}

/** The names the netpol-e2e block answers, with their address. */
function offlineHosts(corefile: string): Map<string, string> {
  const block = new RegExp(`${BEGIN}\\n([\\s\\S]*?)${END}`).exec(corefile)?.[1] ?? '';
  const hosts = new Map<string, string>();
  for (const m of block.matchAll(/^\s*([\d.]+)\s+(\S+)\s*$/gm)) hosts.set(m[2]!, m[1]!);
  return hosts;
}

export async function checkOfflineFqdn(config: KubeConfig, wanted: readonly HostEntry[]): Promise<void> {
  const coredns = (await ObjectApi.forConfig(config).read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'kube-system', name: 'coredns' } })) as { data?: { Corefile?: string } };
  const hosts = offlineHosts(coredns.data?.Corefile ?? '');
  const missing = wanted.filter((h) => !hosts.has(h.name)).map((h) => h.name);
  const moved = wanted.filter((h) => hosts.has(h.name) && hosts.get(h.name) !== h.ip).map((h) => `${h.name} at ${hosts.get(h.name)} (the model: ${h.ip})`);
  const rerun = 'run `npm run cluster:up -- --offline-fqdn` (it reads the names from suites/)';
  if (missing.length) throw new InputError('--offline-fqdn', undefined, `CoreDNS does not answer ${missing.join(', ')} from the world server: ${rerun}`);
  if (moved.length) throw new InputError('--offline-fqdn', undefined, `CoreDNS answers ${moved.join(', ')}: the cluster and the model would disagree; ${rerun}`);
}

/** Where the offline server keeps its throw-away certificate. */
export const OFFLINE_TLS = '/etc/nginx/tls';

/**
 * nginx configuration that answers each external name on each port with the HTTP status the suites declare for it
 * (so `kubernetes.io: { "80": 301, "443": 200 }` gives a redirect on 80 and 200 over TLS on 443), as the model
 * predicts. Two suites declaring different statuses for the same name and port is an error.
 */
export function offlineServerConfig(hosts: readonly WorldHost[]): string {
  const status = new Map<string, number>();
  for (const host of hosts) {
    for (const [port, code] of Object.entries(host.ports)) {
      // A literal address is asked for by itself (Host: 198.51.100.20), so it is its own server_name.
      const key = `${host.name ?? host.ip}:${port}`;
      if (status.has(key) && status.get(key) !== code) throw new Error(`suites disagree on what ${key} answers: ${status.get(key)} and ${code}`);
      status.set(key, code);
    }
  }
  const blocks = [...status.entries()].sort().map(([key, code]) => {
    const [name, port] = key.split(':') as [string, string];
    const tls = port === '443';
    const answer = code >= 300 && code < 400 ? `return ${code} https://$host/;` : `return ${code} "netpol-e2e offline ${name}\\n";`;
    return [
      'server {',
      `  listen ${port}${tls ? ' ssl' : ''};`,
      `  server_name ${name};`,
      ...(tls ? [`  ssl_certificate ${OFFLINE_TLS}/tls.crt;`, `  ssl_certificate_key ${OFFLINE_TLS}/tls.key;`] : []),
      `  location / { ${answer} }`,
      '}',
    ].join('\n');
  });
  return `${blocks.join('\n')}\n`;
}
