// CoreDNS entries for hermetic FQDN targets: a hosts block, marked as netpol-e2e's, that answers the tutorials'
// external names with the address of a server on the kind network, and passes every other name on. cluster:up
// writes it; `run --offline-fqdn` checks that it covers every name the suites probe before touching the cluster.
import type { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../../input/input-error.ts';
import type { WorldHost } from '../../model/cluster.ts';
import { ObjectApi } from './object-api.ts';
const BEGIN = '# netpol-e2e offline FQDN targets: begin';
const END = '# netpol-e2e offline FQDN targets: end';

export function withOfflineHosts(corefile: string, ip: string, names: readonly string[]): string {
  if (!/^[\d.]+$/.test(ip)) throw new Error(`not an IPv4 address: ${ip}`);
  for (const name of names) if (!/^[a-z0-9.-]+$/i.test(name)) throw new Error(`not a DNS name: ${name}`);
  const clean = withoutOfflineHosts(corefile);
  const server = /^\.:53 \{\n/m.exec(clean);
  if (!server) throw new Error('the Corefile has no ".:53 {" server block');
  const block = [`    ${BEGIN}`, '    hosts {', ...names.map((n) => `        ${ip} ${n}`), '        fallthrough', '    }', `    ${END}`, ''].join('\n');
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

export async function checkOfflineFqdn(config: KubeConfig, names: readonly string[]): Promise<void> {
  const coredns = (await ObjectApi.forConfig(config).read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'kube-system', name: 'coredns' } })) as { data?: { Corefile?: string } };
  const hosts = offlineHosts(coredns.data?.Corefile ?? '');
  const missing = names.filter((n) => !hosts.has(n));
  if (missing.length) {
    throw new InputError('--offline-fqdn', undefined, `CoreDNS does not answer ${missing.join(', ')} from the offline FQDN server: run \`npm run cluster:up -- --offline-fqdn\` (it reads the names from suites/)`);
  }
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
    if (!host.name) continue;
    for (const [port, code] of Object.entries(host.ports)) {
      const key = `${host.name}:${port}`;
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
