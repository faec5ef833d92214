/**
 * A thin client for VM-Operator's `VmPool` and `VirtualMachine` objects
 * (`vmoperator.jdrupes.org/v1`), always by full group and version: their
 * kind and short names collide with KubeVirt's in kubectl. Errors are
 * translated at this boundary; reads and deletes are retried, writes are
 * not (a write guarded by `resourceVersion` is redone by the caller after
 * reading again).
 */
import * as k8s from "@kubernetes/client-node";

import { NotFoundError, type ErrorContext } from "../../errors";
import { toBackendError } from "../kubevirt/client";
import { checkNamespaceExists } from "../kubevirt/namespaces";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "../retry";

/** VM-Operator's API group. */
export const VMOPERATOR_GROUP = "vmoperator.jdrupes.org";
/** The one version it serves. */
export const VMOPERATOR_VERSION = "v1";
/** `apiVersion` of its objects. */
export const VMOPERATOR_API_VERSION = `${VMOPERATOR_GROUP}/${VMOPERATOR_VERSION}`;
/** Plural of `VmPool`. */
export const VMPOOL_PLURAL = "vmpools";
/** Plural of VM-Operator's `VirtualMachine`. */
export const VM_PLURAL = "vms";

/** A Kubernetes object as read: metadata plus whatever else it has. */
export interface KubeObject {
  /** Object metadata (name, uid, resourceVersion, labels, annotations). */
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  /** The rest of the object (`spec`, `status`, ...). */
  [key: string]: unknown;
}

/** Which object kind a call is about. */
type Plural = typeof VMPOOL_PLURAL | typeof VM_PLURAL;

/** VmPool and VirtualMachine objects of one cluster connection. */
export class VmoperatorClient {
  private readonly objects: k8s.CustomObjectsApi;
  private readonly core: k8s.CoreV1Api;
  /** The API server's URL, which identifies the cluster (for what is kept about it). */
  private readonly server: string;

  constructor(
    kc: k8s.KubeConfig,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.objects = kc.makeApiClient(k8s.CustomObjectsApi);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.server = kc.getCurrentCluster()?.server ?? "";
  }

  /** Reads an object; throws {@link NotFoundError} when it does not exist. */
  async get(context: ErrorContext, plural: Plural, namespace: string, name: string): Promise<KubeObject> {
    return withRetry(this.retry, async () => {
      try {
        return (await this.objects.getNamespacedCustomObject({ group: VMOPERATOR_GROUP, version: VMOPERATOR_VERSION, namespace, plural, name })) as KubeObject;
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
  }

  /** Reads an object, or undefined when it does not exist. */
  async find(context: ErrorContext, plural: Plural, namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.get(context, plural, namespace, name);
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
  }

  /** Lists the objects of a namespace. */
  async list(context: ErrorContext, plural: Plural, namespace: string): Promise<KubeObject[]> {
    const list = await withRetry(this.retry, async () => {
      try {
        return (await this.objects.listNamespacedCustomObject({ group: VMOPERATOR_GROUP, version: VMOPERATOR_VERSION, namespace, plural })) as { items?: KubeObject[] };
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
    return list.items ?? [];
  }

  /** Creates an object with strict field validation; a 409 means the name is taken. */
  async create(context: ErrorContext, plural: Plural, namespace: string, body: object, dryRun = false): Promise<KubeObject> {
    try {
      return (await this.objects.createNamespacedCustomObject({
        group: VMOPERATOR_GROUP,
        version: VMOPERATOR_VERSION,
        namespace,
        plural,
        body,
        fieldValidation: "Strict",
        ...(dryRun ? { dryRun: "All" } : {}),
      })) as KubeObject;
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /**
   * Writes an object back whole. Its `metadata.resourceVersion` makes the
   * API server refuse (409) when it changed since it was read.
   */
  async replace(context: ErrorContext, plural: Plural, namespace: string, name: string, body: KubeObject): Promise<KubeObject> {
    try {
      return (await this.objects.replaceNamespacedCustomObject({ group: VMOPERATOR_GROUP, version: VMOPERATOR_VERSION, namespace, plural, name, body, fieldValidation: "Strict" })) as KubeObject;
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /** Deletes an object, only the incarnation `uid`; not-found is success. */
  async delete(context: ErrorContext, plural: Plural, namespace: string, name: string, uid: string): Promise<void> {
    try {
      await withRetry(this.retry, async () => {
        try {
          await this.objects.deleteNamespacedCustomObject({ group: VMOPERATOR_GROUP, version: VMOPERATOR_VERSION, namespace, plural, name, body: { preconditions: { uid } } });
        } catch (err) {
          const translated = toBackendError(context, err);
          // A failed uid precondition is a 409: another incarnation, not ours to delete.
          if (translated.status === 409) {
            throw new NotFoundError(context, `'${name}' is now another object (uid precondition failed)`);
          }
          throw translated;
        }
      });
    } catch (err) {
      if (!NotFoundError.isInstance(err)) {
        throw err;
      }
    }
  }

  /** Whether a namespace exists; undefined when the user may not read namespaces. */
  async namespaceExists(context: ErrorContext, namespace: string): Promise<boolean | undefined> {
    return checkNamespaceExists(this.core, this.server, this.retry, context, namespace);
  }

}
