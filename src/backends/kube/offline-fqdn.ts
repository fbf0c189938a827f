// CoreDNS entries for hermetic FQDN targets: a hosts block, marked as netpol-e2e's, that answers the tutorials'
// external names with the address of a server on the kind network, and passes every other name on. cluster:up
// writes it; `run --offline-fqdn` checks that it covers every name the suites probe before touching the cluster.
import type { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../../input/input-error.ts';
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
export function offlineHosts(corefile: string): Map<string, string> {
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
