// Builds a throw-away network namespace (loopback up, a dummy interface as a black hole, its own
// resolv.conf) and runs the scenarios inside it with real curl. Needs root and iproute2 (no firewall needed).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BLACKHOLE_IP } from './scenarios.ts';

export interface LabObservation {
  name: string;
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Why the lab cannot run here, or undefined when it can. */
export async function labUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'the client lab needs root for `ip netns`';
  const ip = await execa('ip', ['netns', 'list'], { reject: false });
  if (ip.exitCode !== 0) return `ip netns is unavailable: ${ip.stderr || ip.message}`;
  const curl = await execa('curl', ['--version'], { reject: false });
  if (curl.exitCode !== 0) return 'curl is not installed';
  return undefined;
}

export async function runClientLab(): Promise<{ curlVersion: string; observations: LabObservation[] }> {
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
    const version = (await execa('curl', ['--version'])).stdout.split('\n')[0] ?? '';
    return { curlVersion: version, observations: JSON.parse(run.stdout) as LabObservation[] };
  } finally {
    await execa('ip', ['netns', 'del', ns], { reject: false });
    await rm(etc, { recursive: true, force: true });
  }
}
