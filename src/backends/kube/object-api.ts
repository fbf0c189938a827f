// client-node's generic object client, plus the collection path of a kind (found through API discovery like every
// other path), which watches need, and a server-side apply that sends the manifest exactly as written.
import { HttpMethod, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { ApiTransport, type ApiBounds } from './bounded-http.ts';

export class ObjectApi extends KubernetesObjectApi {
  private transport!: ApiTransport;

  /** Every request bounded in time and size (bounded-http.ts). */
  static forConfig(config: KubeConfig, bounds?: Partial<ApiBounds>): ObjectApi {
    return ObjectApi.forTransport(new ApiTransport(config, bounds));
  }

  static forTransport(transport: ApiTransport, signal?: AbortSignal): ObjectApi {
    const api = new ObjectApi(transport.configuration(signal));
    api.setDefaultNamespace(transport.config);
    api.transport = transport;
    return api;
  }

  /**
   * The same client, its requests ended by `signal` (the run's Ctrl-C). client-node sends every request through the
   * httpApi of the Configuration it was made with (dist/object.js, requestPromise), so a signal needs a client of its
   * own; it shares this one's discovery cache, so that it asks no more than this one would.
   */
  withSignal(signal: AbortSignal | undefined): ObjectApi {
    if (!signal) return this;
    const api = ObjectApi.forTransport(this.transport, signal);
    api.apiVersionResourceCache = this.apiVersionResourceCache;
    return api;
  }

  /**
   * client-node's own patch() passes the body through its model serializer, which drops fields it names
   * differently: a NetworkPolicy rule's `from` (the model's `_from`) vanished, turning "allow from frontend" into
   * "allow from everywhere". The manifest goes out as JSON (which is YAML) untouched instead.
   */
  async serverSideApply(spec: KubernetesObject, fieldManager: string): Promise<KubernetesObject> {
    const path = await this.specUriPath({ ...spec, metadata: { ...spec.metadata } }, 'patch');
    const request = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', PatchStrategy.ServerSideApply);
    request.setQueryParam('fieldManager', fieldManager);
    request.setQueryParam('force', 'true');
    request.setBody(JSON.stringify(spec));
    return this.requestPromise(request);
  }

  async collectionPath(spec: KubernetesObject): Promise<string> {
    const path = await this.specUriPath({ ...spec, metadata: { ...spec.metadata } }, 'list');
    return path.startsWith('/') ? path : `/${path}`;
  }
}
