// CoreDNS entries for hermetic FQDN targets: a hosts block, marked as netpol-e2e's, that answers the tutorials'
// external names with the address of a server on the kind network, and passes every other name on.
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
