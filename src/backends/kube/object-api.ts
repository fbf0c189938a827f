// client-node's generic object client, plus the collection path of a kind (found through API discovery like every
// other path), which watches need.
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export class ObjectApi extends KubernetesObjectApi {
  static forConfig(config: KubeConfig): ObjectApi {
    const api = config.makeApiClient(ObjectApi);
    api.setDefaultNamespace(config);
    return api;
  }

  async collectionPath(spec: KubernetesObject): Promise<string> {
    const path = await this.specUriPath({ ...spec, metadata: { ...spec.metadata } }, 'list');
    return path.startsWith('/') ? path : `/${path}`;
  }
}
