// The image catalog's vocabulary: what a container of a known image listens on and answers, and which clients and
// resolver it carries, each fact with the file of the image's own source it was read from.
import type { Protocol } from '../../manifest/schemas/net.ts';

/** Where a fact was read: a file of the image's source (or the server's) at a tag or commit. */
export interface Citation {
  repo: string;
  ref: string;
  path: string;
  lines?: string;
  fact: string;
}

/** What a container runs, as its manifest says it: command and args replace the image's entrypoint and cmd. */
export interface ContainerRun {
  image: string;
  command?: readonly string[];
  args?: readonly string[];
  /** Variables with a literal value; those set from elsewhere (valueFrom) are in `unknownEnv`. */
  env: ReadonlyMap<string, string>;
  unknownEnv: ReadonlySet<string>;
  /** Where volumes are mounted: a server's configuration mounted over its default makes its ports unknown. */
  mounts: readonly string[];
}

/** The status line an HTTP server sends, as curl prints it. */
export interface HttpReply {
  status: number;
  reason: string;
}

export interface Socket {
  port: number;
  protocol: Protocol;
  /** An HTTP server: its reply to a request (the path with its query). Absent: not HTTP. */
  http?: (method: string, path: string) => HttpReply;
  /** HTTP over TLS. */
  tls?: boolean;
}

/** What listens in a container, or why the catalog cannot tell (a command it does not know, a mounted config). */
export type Listening = { sockets: Socket[] } | { unknown: string };

/**
 * The resolver and probe clients of an image. musl ignores REFUSED, retries until its timeout and ends the search
 * list there (dns-timeout); glibc gives up on the whole lookup at once (dns-error); Go's resolver treats REFUSED as a
 * failure of that one name and tries the next search-list name ("server misbehaving", dns-error).
 */
export interface ClientProfile {
  resolver: 'musl' | 'glibc' | 'go';
  /** How curl words its errors: the old 7.x of the labs' Alpine images, or 7.88 and later. */
  curl: 'legacy-7' | '7.88';
  /** busybox's ping in Alpine and busybox images, iputils' in Debian's. */
  ping: 'busybox' | 'iputils';
  /** The nslookup on its PATH: bind's (bind-tools, bind9-dnsutils) or busybox's applet; absent: none. */
  nslookup?: 'bind' | 'busybox';
}

export interface ImageEntry {
  /** Normalised repositories (reference.ts) the entry is for. */
  repositories: readonly string[];
  /** The tag the facts were read at. */
  readAt: string;
  /** Whether the facts hold for a tag (those read, and others where the source shows they do not change). */
  tags: (tag: string) => boolean;
  /** Base image and libc, as its Dockerfile says. */
  base: string;
  client: ClientProfile;
  /** The probe clients on its PATH (informational: the harness probes from its own client pods). */
  tools: readonly string[];
  listens: (run: ContainerRun) => Listening;
  sources: readonly Citation[];
}
