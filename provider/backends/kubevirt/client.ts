import * as fs from "node:fs";

import * as k8s from "@kubernetes/client-node";

import type { KubernetesSettings } from "../../config/settings";
import { BackendError, ConfigurationError, NotFoundError, type ErrorContext } from "../../errors";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "../retry";
import { checkNamespaceExists } from "./namespaces";
import { PooledKubeConfig } from "./pooled-kube-config";

/** API group of KubeVirt's `VirtualMachinePool`. */
export const POOL_GROUP = "pool.kubevirt.io";
/** Plural resource name of `VirtualMachinePool`. */
export const POOL_PLURAL = "virtualmachinepools";
/** Pool API versions this provider speaks, newest first. */
export const POOL_VERSIONS = ["v1beta1", "v1alpha1"] as const;
/** One of {@link POOL_VERSIONS}. */
export type PoolVersion = (typeof POOL_VERSIONS)[number];

/**
 * Loads a kubeconfig from settings: a path, the document itself, or (when
 * unset) `KUBECONFIG` / `~/.kube/config` as kubectl does.
 */
export function loadKubeConfig(settings: KubernetesSettings): PooledKubeConfig {
  const kc = new PooledKubeConfig();
  const source = settings.kubeconfig;
  try {
    if (source === undefined) {
      kc.loadFromDefault();
    } else if (!source.includes("\n") && fs.existsSync(source)) {
      kc.loadFromFile(source);
    } else {
      kc.loadFromString(source);
    }
  } catch (err) {
    throw new ConfigurationError(
      `cannot load the kubeconfig ${source === undefined ? "from KUBECONFIG or ~/.kube/config" : "given in 'vmpools:kubeconfig'"}: ${err instanceof Error ? err.message : String(err)}; set 'pulumi config set --secret vmpools:kubeconfig <path or content>' or KUBECONFIG`,
      { cause: err },
    );
  }
  if (settings.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === settings.context)) {
      throw new ConfigurationError(
        `context '${settings.context}' from 'vmpools:context' is not in the kubeconfig; it has ${kc.getContexts().map((c) => `'${c.name}'`).join(", ") || "no contexts"}`,
      );
    }
    kc.setCurrentContext(settings.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new ConfigurationError(
      "the kubeconfig names no current cluster; set 'vmpools:context' or the kubeconfig's current-context",
    );
  }
  return kc;
}

interface StatusBody {
  message?: unknown;
  reason?: unknown;
}

function parseStatus(body: unknown): StatusBody {
  if (typeof body === "string") {
    try {
      return parseStatus(JSON.parse(body));
    } catch {
      return {};
    }
  }
  return typeof body === "object" && body !== null ? body : {};
}

/**
 * Translates whatever the Kubernetes client threw into our typed errors,
 * keeping the status code and the API server's own message, never the
 * response headers or the whole body.
 */
export function toBackendError(context: ErrorContext, err: unknown): BackendError {
  if (err instanceof k8s.ApiException) {
    const code = err.code;
    const status = parseStatus(err.body);
    const message = typeof status.message === "string" ? status.message : `HTTP ${code}`;
    const reason = typeof status.reason === "string" ? ` (${status.reason})` : "";
    if (code === 404) {
      return new NotFoundError(context, `${message}${reason}`);
    }
    const hint =
      code === 401
        ? "; the credentials in the kubeconfig were refused"
        : code === 403
          ? "; the kubeconfig's user lacks RBAC permission for this, ask the cluster admin for a Role granting it"
          : "";
    return new BackendError(context, `${message}${reason}${hint}`, {
      status: code,
      retryable: code === 409 || code === 429 || code >= 500,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new BackendError(context, `no answer from the API server: ${message}`, { retryable: true, cause: err });
}

/**
 * What a provider process learnt about each API server, so that a preview of
 * many pools asks once, not once per pool: the pool version it serves (which
 * changes only with a KubeVirt upgrade, never within one `pulumi` command);
 * namespaces seen to exist are kept in `namespaces.ts`.
 */
const POOL_VERSION_SERVED = new Map<string, PoolVersion>();

/**
 * A thin client for `VirtualMachinePool` objects. Every method translates
 * errors at this boundary. Calls that are safe to repeat (reads, patches
 * guarded by `resourceVersion`, deletes guarded by `uid`) are retried on
 * 5xx, 429, 409 and dropped connections; creating is not, because the API
 * server may have run it (the backend proves ownership instead).
 */
export class KubevirtClient {
  private readonly objects: k8s.CustomObjectsApi;
  private readonly apis: k8s.ApisApi;
  private readonly core: k8s.CoreV1Api;

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.objects = kc.makeApiClient(k8s.CustomObjectsApi);
    this.apis = kc.makeApiClient(k8s.ApisApi);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
  }

  /**
   * Another typed API client on this connection, for the thin clients beside
   * this one (RBAC, nodes), so every resource's backend is built from the one
   * `KubevirtClient` the registry makes.
   */
  makeApiClient<T extends k8s.ApiType>(api: k8s.ApiConstructor<T>): T {
    return this.kc.makeApiClient(api);
  }

  /** This connection's retry policy, shared by the clients built on it. */
  get retryPolicy(): RetryPolicy {
    return this.retry;
  }

  /** The API server's URL, which identifies the cluster (for caching what is learnt about it). */
  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? "";
  }

  /**
   * Whether a namespace exists; undefined when the user may not read
   * namespaces (RBAC), which is common and not an error.
   */
  async namespaceExists(context: ErrorContext, namespace: string): Promise<boolean | undefined> {
    return checkNamespaceExists(this.core, this.server, this.retry, context, namespace);
  }


  /**
   * The newest pool version the cluster serves. KubeVirt 1.7+ serves
   * `v1beta1` and `v1alpha1`; 0.49 to 1.6 only `v1alpha1`.
   */
  async discoverPoolVersion(context: ErrorContext): Promise<PoolVersion> {
    const seen = POOL_VERSION_SERVED.get(this.server);
    if (seen !== undefined) {
      return seen;
    }
    const groups = await withRetry(this.retry, async () => {
      try {
        return await this.apis.getAPIVersions();
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
    const group = groups.groups.find((g) => g.name === POOL_GROUP);
    const served = new Set(group?.versions.map((v) => v.version) ?? []);
    const version = POOL_VERSIONS.find((v) => served.has(v));
    if (version === undefined) {
      throw new BackendError(
        context,
        `the cluster serves no ${POOL_GROUP} API (${served.size === 0 ? "group missing" : `versions: ${[...served].join(", ")}`}); install KubeVirt 0.49 or later, which provides VirtualMachinePool`,
      );
    }
    POOL_VERSION_SERVED.set(this.server, version);
    return version;
  }

  /** Reads a pool; throws {@link NotFoundError} when it does not exist. */
  async getPool(context: ErrorContext, version: PoolVersion, namespace: string, name: string): Promise<unknown> {
    return withRetry(this.retry, async () => {
      try {
        const obj: unknown = await this.objects.getNamespacedCustomObject({ group: POOL_GROUP, version, namespace, plural: POOL_PLURAL, name });
        return obj;
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
  }

  /** Creates a pool; a 409 means one of that name exists already. */
  async createPool(context: ErrorContext, version: PoolVersion, namespace: string, body: object): Promise<unknown> {
    try {
      const obj: unknown = await this.objects.createNamespacedCustomObject({
        group: POOL_GROUP,
        version,
        namespace,
        plural: POOL_PLURAL,
        body,
        fieldValidation: "Strict",
      });
      return obj;
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /**
   * Creates a pool with `dryRun=All` and strict field validation: the API
   * server validates it (schema, admission) and stores nothing. Throws the
   * translated refusal, whose message names every field the schema lacks.
   */
  async dryRunCreatePool(context: ErrorContext, version: PoolVersion, namespace: string, body: object): Promise<void> {
    try {
      await this.objects.createNamespacedCustomObject({ group: POOL_GROUP, version, namespace, plural: POOL_PLURAL, body, dryRun: "All", fieldValidation: "Strict" });
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /**
   * The pool's `scale` subresource: `spec.replicas` (0 when the API server
   * omits a zero) and the pool's `resourceVersion`.
   */
  async getPoolScale(context: ErrorContext, version: PoolVersion, namespace: string, name: string): Promise<{ replicas: number; resourceVersion: string }> {
    const scale = await withRetry(this.retry, async () => {
      try {
        return (await this.objects.getNamespacedCustomObjectScale({ group: POOL_GROUP, version, namespace, plural: POOL_PLURAL, name })) as k8s.V1Scale;
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
    return { replicas: scale.spec?.replicas ?? 0, resourceVersion: scale.metadata?.resourceVersion ?? "" };
  }

  /**
   * Sets the pool's size through its `scale` subresource, as `kubectl scale`
   * and a HorizontalPodAutoscaler do, so it needs only `update` on
   * `virtualmachinepools/scale`. The `resourceVersion` makes the server
   * refuse (409) when the pool changed since it was read.
   */
  async replacePoolScale(context: ErrorContext, version: PoolVersion, namespace: string, name: string, replicas: number, resourceVersion: string): Promise<void> {
    const body: k8s.V1Scale = { apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name, namespace, resourceVersion }, spec: { replicas } };
    try {
      await this.objects.replaceNamespacedCustomObjectScale({ group: POOL_GROUP, version, namespace, plural: POOL_PLURAL, name, body });
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /**
   * Applies a JSON Patch (RFC 6902) to a pool. A failed `test` operation
   * comes back as 422 and changes nothing.
   */
  async patchPool(context: ErrorContext, version: PoolVersion, namespace: string, name: string, patch: readonly object[]): Promise<unknown> {
    return withRetry(this.retry, async () => {
      try {
        const obj: unknown = await this.objects.patchNamespacedCustomObject(
          { group: POOL_GROUP, version, namespace, plural: POOL_PLURAL, name, body: patch, fieldValidation: "Strict" },
          k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
        );
        return obj;
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
  }

  /**
   * Deletes a pool with background propagation, so the garbage collector
   * removes its VMs as the KubeVirt user guide describes. With `uid`, the
   * server deletes only that incarnation of the name.
   */
  async deletePool(context: ErrorContext, version: PoolVersion, namespace: string, name: string, uid?: string): Promise<void> {
    await withRetry(this.retry, async () => {
      try {
        await this.objects.deleteNamespacedCustomObject({
          group: POOL_GROUP,
          version,
          namespace,
          plural: POOL_PLURAL,
          name,
          propagationPolicy: "Background",
          ...(uid === undefined ? {} : { body: { preconditions: { uid } } }),
        });
      } catch (err) {
        const translated = toBackendError(context, err);
        // A uid precondition that fails is a 409 too, and must not be retried.
        if (translated.status === 409) {
          throw new BackendError(context, translated.message.replace(/^.*? failed: /, ""), { status: 409, retryable: false, cause: err });
        }
        throw translated;
      }
    });
  }
}
