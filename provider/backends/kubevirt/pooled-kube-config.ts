/**
 * Kubernetes connections kept open across calls. `@kubernetes/client-node`
 * 2.x builds a new undici `Agent` for every request
 * (`KubeConfig.applySecurityAuthentication` → `createDispatcher`), so every
 * request paid a new TCP connection and TLS handshake, and the provider made a
 * new `KubeConfig` per operation besides. A stack of 50 pools made hundreds of
 * handshakes where `@pulumi/kubernetes` makes a few.
 */
import { createHash } from "node:crypto";

import * as k8s from "@kubernetes/client-node";

/** What undici's dispatchers have in common here: they can be closed. */
type Dispatcher = NonNullable<ReturnType<k8s.RequestContext["getDispatcher"]>>;

/**
 * A `KubeConfig` whose requests share one dispatcher (undici keeps its
 * connections alive and pools them), except for users whose TLS material can
 * change while the process runs (exec plugins and auth providers may return
 * new client certificates), which keep the library's per-request dispatcher.
 */
export class PooledKubeConfig extends k8s.KubeConfig {
  private dispatcher: Dispatcher | undefined;

  override async applySecurityAuthentication(context: k8s.RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const user = this.getCurrentUser();
    if (user === null || user.exec !== undefined || user.authProvider !== undefined) {
      return;
    }
    const made = context.getDispatcher();
    if (made === undefined) {
      return;
    }
    if (this.dispatcher === undefined) {
      this.dispatcher = made;
      return;
    }
    context.setDispatcher(this.dispatcher);
    // Never used, so it holds no connection; closing it is bookkeeping.
    void made.close();
  }
}

const CONFIGS = new Map<string, PooledKubeConfig>();

/**
 * The process's `KubeConfig` for a loaded kubeconfig: the first one loaded
 * with the same clusters, users and current context (and so its open
 * connections), or `loaded` itself, kept for the next call. A rotated token or
 * certificate is another key, so it reaches the next operation. The key is a
 * digest, so no credential is kept as a key.
 */
export function toPooledKubeConfig(loaded: PooledKubeConfig): PooledKubeConfig {
  const key = createHash("sha256").update(loaded.exportConfig()).digest("hex");
  const cached = CONFIGS.get(key);
  if (cached !== undefined) {
    return cached;
  }
  CONFIGS.set(key, loaded);
  return loaded;
}
