// An image reference as the container runtime reads it (distribution/reference, normalize.go
// ParseNormalizedNamed): a name without a registry is on docker.io, a one-part name there is under library/, and a
// reference without tag or digest means :latest.
export interface ImageRef {
  /** Registry and path, normalised: docker.io/library/nginx, registry.k8s.io/e2e-test-images/agnhost. */
  repository: string;
  tag: string;
  digest?: string;
}

export function parseImageRef(image: string): ImageRef {
  const [named, digest] = image.split('@') as [string, string | undefined];
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  // A colon after the last slash starts the tag; one before it belongs to a registry's port.
  const [name, tag] = colon > slash ? [named.slice(0, colon), named.slice(colon + 1)] : [named, digest ? '' : 'latest'];
  const first = name.split('/')[0]!;
  // The first part is a registry when it has a dot or a port, or is localhost (normalize.go splitDockerDomain).
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasRegistry ? name.slice(first.length + 1) : name;
  const registry = hasRegistry ? (first === 'index.docker.io' ? 'docker.io' : first) : 'docker.io';
  const repository = `${registry}/${registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path}`;
  return { repository: repository.toLowerCase(), tag, ...(digest && { digest }) };
}
