// Builds a throw-away network namespace (loopback up, a dummy interface as a black hole, its own
// resolv.conf) and runs the scenarios inside it with the real programs. Needs root and iproute2 (no firewall needed).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { lacking, type Needs } from '../lab-needs.ts';
import type { Captures, LabObservation } from './captures.ts';
import { BLACKHOLE_IP, LOOKUP_RESOLV_CONF } from './scenarios.ts';

/** What the lab runs: `ip netns` as root, and every program of its scenarios (GNU wget and iputils ping by path). */
export const LAB_NEEDS: Needs = { root: true, programs: ['ip', 'curl', 'busybox', '/usr/bin/wget', 'nc.openbsd', 'nc.traditional', '/usr/bin/ping', '/usr/bin/nslookup', 'dig', 'host', 'getent', 'dpkg-query'] };

/** Why the lab cannot run here, or undefined when it can. */
export async function labUnavailable(): Promise<string | undefined> {
  const missing = await lacking(LAB_NEEDS);
  if (missing.length) return `it needs ${missing.join(', ')}`;
  const ip = await execa('ip', ['netns', 'list'], { reject: false });
  if (ip.exitCode !== 0) return `ip netns is unavailable: ${ip.stderr || ip.message}`;
  return undefined;
}

/** The first line each program prints about its version (nc has no such option; Debian's package says it). */
const VERSIONS: Record<string, string[]> = {
  curl: ['curl', '--version'],
  busybox: ['busybox'],
  'GNU wget': ['/usr/bin/wget', '--version'],
  'iputils ping': ['/usr/bin/ping', '-V'],
  'OpenBSD nc': ['dpkg-query', '-W', '-f', '${Package} ${Version}', 'netcat-openbsd'],
  'traditional nc': ['dpkg-query', '-W', '-f', '${Package} ${Version}', 'netcat-traditional'],
  'bind9 tools': ['dig', '-v'],
  'glibc getent': ['dpkg-query', '-W', '-f', '${Package} ${Version}', 'libc-bin'],
};

/** Each lab program's version, as the first line of what VERSIONS runs prints (what went wrong, where it cannot run). */
export async function programVersions(): Promise<Record<string, string>> {
  const programs: Record<string, string> = {};
  for (const [name, [file, ...args]] of Object.entries(VERSIONS)) {
    const shown = await execa(file!, args, { reject: false });
    programs[name] = `${shown.stdout}\n${shown.stderr}`.trim().split('\n')[0] || (shown.message ?? 'no version output');
  }
  return programs;
}

/** The system the lab runs on, as os-release names it: ID and VERSION_ID ("debian 12", "ubuntu 24.04"). */
export async function systemHere(): Promise<string> {
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const field = (name: string) => new RegExp(`^${name}="?([^"\n]*)"?$`, 'm').exec(release)?.[1] ?? 'unknown';
  return `${field('ID')} ${field('VERSION_ID')}`;
}

export async function runClientLab(): Promise<Captures> {
  const ns = `netpol-e2e-lab-${process.pid}`;
  const etc = `/etc/netns/${ns}`;
  const inNs = (...argv: string[]) => execa('ip', ['netns', 'exec', ns, ...argv]);
  await execa('ip', ['netns', 'add', ns]);
  try {
    await mkdir(etc, { recursive: true });
    await writeFile(`${etc}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:5 attempts:1\n');
    await writeFile(`${etc}/hosts`, '127.0.0.1 localhost\n');
    await inNs('ip', 'link', 'set', 'lo', 'up');
    // A veth pair whose far end has no address: frames to BLACKHOLE_IP arrive there and are dropped
    // without any answer (forwarding is off), which is what a policy drop looks like to the client.
    await inNs('ip', 'link', 'add', 'lab0', 'type', 'veth', 'peer', 'name', 'lab1');
    await inNs('ip', 'addr', 'add', `${BLACKHOLE_IP.replace(/\d+$/, '1')}/24`, 'dev', 'lab0');
    await inNs('ip', 'link', 'set', 'lab0', 'up');
    await inNs('ip', 'link', 'set', 'lab1', 'up');
    await inNs('ip', 'neigh', 'add', BLACKHOLE_IP, 'lladdr', '02:00:00:00:00:02', 'dev', 'lab0', 'nud', 'permanent');
    const inside = fileURLToPath(new URL('./inside-namespace.ts', import.meta.url));
    const run = await inNs(process.execPath, '--import', 'tsx', inside);
    // The lookups see a pod's resolv.conf: its search path is what tells the tools apart.
    await writeFile(`${etc}/resolv.conf`, LOOKUP_RESOLV_CONF);
    const lookups = await inNs(process.execPath, '--import', 'tsx', inside, 'lookups');
    const observations = [...(JSON.parse(run.stdout) as LabObservation[]), ...(JSON.parse(lookups.stdout) as LabObservation[])];
    return { system: await systemHere(), programs: await programVersions(), observations };
  } finally {
    await execa('ip', ['netns', 'del', ns], { reject: false });
    await rm(etc, { recursive: true, force: true });
  }
}
