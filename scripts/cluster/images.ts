// The images the suites' apps run, pulled once per bring-up from the registry each upstream publishes to and loaded
// into the kind nodes, so that no node pulls them itself (Docker Hub allows 10 anonymous pulls an hour per address,
// and three nodes would each pull every image).
import { run } from './run.ts';

export interface LoadedImage {
  /** As pinned: registry/repository:tag[@sha256:...]. */
  pull: string;
  /** The name the manifests use: the nodes know the image by it. */
  as: string;
}

/**
 * docker pull each image, then docker tag it as the manifests name it: an image pulled by digest cannot be referred
 * to by that digest once loaded (kind issue #2394), so it is loaded by a tag (as kubernetes-sigs/kueue
 * hack/e2e-common.sh prepare_docker_images does). Then one `kind load docker-image` for all of them; kind skips
 * the nodes that have an image already (kind pkg/cmd/kind/load/docker-image).
 */
export async function loadImages(kind: string, cluster: string, images: readonly LoadedImage[]): Promise<void> {
  for (const image of images) {
    await run('docker', ['pull', image.pull]);
    if (image.as !== image.pull) await run('docker', ['tag', image.pull, image.as]);
  }
  if (images.length) await run(kind, ['load', 'docker-image', ...images.map((i) => i.as), '--name', cluster]);
}
