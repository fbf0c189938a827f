// A minimal DNS responder for the client lab: enough of RFC 1035 to answer one question with an A record,
// an error rcode, or silence, so that real curl (and the lookup tools) show each resolver outcome.
import dgram from 'node:dgram';

export type DnsBehaviour = { a: string } | { rcode: 'SERVFAIL' | 'NXDOMAIN' | 'REFUSED' } | 'drop';

const RCODES = { SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

function questionEnd(msg: Buffer): number {
  let i = 12;
  while (i < msg.length && msg[i] !== 0) i += (msg[i] ?? 0) + 1;
  return i + 5; // zero label, QTYPE, QCLASS
}

function questionName(msg: Buffer): string {
  const labels: string[] = [];
  for (let i = 12; i < msg.length && msg[i] !== 0; i += (msg[i] ?? 0) + 1) {
    labels.push(msg.subarray(i + 1, i + 1 + (msg[i] ?? 0)).toString('ascii'));
  }
  return labels.join('.').toLowerCase();
}

export function answer(query: Buffer, behaviour: Exclude<DnsBehaviour, 'drop'>): Buffer {
  const end = questionEnd(query);
  const question = query.subarray(12, end);
  const qtype = query.readUInt16BE(end - 4);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = (query[2] ?? 0) & 0x01;
  const rcode = 'rcode' in behaviour ? RCODES[behaviour.rcode] : 0;
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD echoed
  header[3] = 0x80 | rcode; // RA
  header.writeUInt16BE(1, 4);
  const records: Buffer[] = [];
  if ('a' in behaviour && qtype === 1) {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
    rr.writeUInt16BE(1, 2); // A
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(30, 6); // TTL
    rr.writeUInt16BE(4, 10);
    behaviour.a.split('.').forEach((octet, k) => rr.writeUInt8(Number(octet), 12 + k));
    records.push(rr);
  }
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, question, ...records]);
}

/** Serves names from `zone` on a UDP socket (`LABEL.*`: every name whose first label is LABEL); others get NXDOMAIN. */
export async function startDnsResponder(host: string, port: number, zone: Record<string, DnsBehaviour>): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, peer) => {
    if (msg.length < 17) return;
    const name = questionName(msg);
    const behaviour = zone[name] ?? zone[`${name.split('.')[0]}.*`] ?? { rcode: 'NXDOMAIN' as const };
    if (behaviour === 'drop') return;
    socket.send(answer(msg, behaviour), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, host, resolve));
  return socket;
}
