// The image catalog: for each image the project's manifests and tutorials' common servers use, what a container of
// it listens on and answers, and its clients, read from the image's own source (each entry cites it). A declared
// containerPort is documentation; the image's entrypoint decides what listens. An image the catalog does not know
// keeps its declared ports, and every prediction that rests on them says so.
import type { Protocol } from '../../manifest/schemas/net.ts';
import { parseImageRef } from './reference.ts';
import type { ContainerRun, ImageEntry, Socket } from './types.ts';
import { AGNHOST_ENTRY } from './entries/agnhost.ts';
import { CLIENT_IMAGES } from './entries/clients.ts';
import { JSON_MOCK } from './entries/json-mock.ts';
import { WEB_SERVERS } from './entries/web-servers.ts';
import { DEMO_SERVERS } from './entries/demo-servers.ts';
import { COREDNS_IMAGE } from './entries/system.ts';

export const CATALOG: readonly ImageEntry[] = [JSON_MOCK, AGNHOST_ENTRY, ...WEB_SERVERS, ...DEMO_SERVERS, ...CLIENT_IMAGES, COREDNS_IMAGE];

/** The entry whose facts hold for this image reference, or why there is none. */
/** What lookupImage found for each image reference: the catalog does not change, and every probe asks for its client's image. */
const found = new Map<string, ReturnType<typeof findImage>>();

export function lookupImage(image: string): { entry: ImageEntry } | { unknown: string } {
  let result = found.get(image);
  if (!result) found.set(image, (result = findImage(image)));
  return result;
}

function findImage(image: string): { entry: ImageEntry } | { unknown: string } {
  const ref = parseImageRef(image);
  const named = CATALOG.filter((e) => e.repositories.includes(ref.repository));
  const entry = named.find((e) => e.tags(ref.tag));
  if (entry) return { entry };
  if (named.length) return { unknown: `image ${image}: the catalog read ${ref.repository} at ${named.map((e) => e.readAt).join(', ')}, not at ${ref.tag || ref.digest}` };
  return { unknown: `image ${image} is not in the image catalog` };
}

export interface DeclaredPort {
  port: number;
  protocol: Protocol;
}

/** What listens in a pod: the catalog's sockets, and the declared ports of containers it cannot tell about. */
export interface PodListening {
  sockets: Socket[];
  /** Containers whose ports are not known: their declared ports are trusted, and why they are not known. */
  assumed: { why: string; ports: DeclaredPort[] }[];
  /** Declared ports nothing listens on, by container and port index: what a reader of the manifest is misled by. */
  unserved: { container: number; port: number; message: string }[];
}

const formatSocket = (s: DeclaredPort) => `${s.port}/${s.protocol}`;

export function podListening(containers: readonly (ContainerRun & { name: string; declared: readonly DeclaredPort[] })[]): PodListening {
  const listening: PodListening = { sockets: [], assumed: [], unserved: [] };
  containers.forEach((container, c) => {
    const found = lookupImage(container.image);
    const listens = 'entry' in found ? found.entry.listens(container) : found;
    if (!('sockets' in listens)) {
      listening.assumed.push({ why: `${listens.unknown}: its declared ports are trusted`, ports: [...container.declared] });
      return;
    }
    listening.sockets.push(...listens.sockets);
    container.declared.forEach((declared, p) => {
      if (listens.sockets.some((s) => s.port === declared.port && s.protocol === declared.protocol)) return;
      const serves = listens.sockets.map(formatSocket).join(', ') || 'nothing';
      listening.unserved.push({
        container: c,
        port: p,
        message: `container ${container.name} declares containerPort ${formatSocket(declared)}, but ${container.image} listens on ${serves} (image catalog): a probe of ${declared.port} is refused`,
      });
    });
  });
  return listening;
}

/**
 * Who answers on a port of a pod: a socket the catalog knows; a declared port of a container it does not know
 * (`assumed` says why); nothing, but with containers the catalog cannot tell about (`assumed`); or nothing at all.
 */
export function servingOf(listening: PodListening, port: number, protocol: Protocol): { socket?: Socket; assumed?: string } {
  const socket = listening.sockets.find((s) => s.port === port && s.protocol === protocol);
  if (socket) return { socket };
  if (!listening.assumed.length) return {};
  const declaring = listening.assumed.find((a) => a.ports.some((p) => p.port === port && p.protocol === protocol));
  if (declaring) return { socket: { port, protocol }, assumed: declaring.why };
  return { assumed: listening.assumed.map((a) => a.why).join('; ') };
}

/** Where an image serves when run as it is (kubectl run/create deployment without --port): its first TCP socket. */
export function defaultTcpPort(image: string): number | undefined {
  const found = lookupImage(image);
  if (!('entry' in found)) return undefined;
  const listens = found.entry.listens({ image, env: new Map(), unknownEnv: new Set(), mounts: [] });
  return 'sockets' in listens ? listens.sockets.find((s) => s.protocol === 'TCP')?.port : undefined;
}
