/**
 * A thin, read-only client for the `VirtualMachine`s and
 * `VirtualMachineInstance`s (`kubevirt.io/v1`) of a pool. The provider
 * never writes them: the pool controller does. Reads are retried on 5xx,
 * 429 and dropped connections; a 403 is reported as undefined, since the
 * outputs can do without VMs, and the shrink check says what is missing.
 */
import * as k8s from "@kubernetes/client-node";

import { BackendError, type ErrorContext } from "../../errors";
import { withRetry } from "../retry";
import { toBackendError, type KubevirtClient } from "./client";
import { fromKubevirtVmiList, fromKubevirtVmList, VM_GROUP, VM_VERSION, type ObservedKubevirtVm, type ObservedKubevirtVmi } from "./pool-vms";

/** Objects asked for per list call; larger namespaces are read in pages. */
const PAGE_SIZE = 500;

/** VMs and VMIs of one namespace. */
export class KubevirtVmClient {
  private readonly objects: k8s.CustomObjectsApi;

  constructor(private readonly base: KubevirtClient) {
    this.objects = base.makeApiClient(k8s.CustomObjectsApi);
  }

  private async listAll(context: ErrorContext, namespace: string, plural: string, labelSelector: string | undefined): Promise<unknown[] | undefined> {
    const items: unknown[] = [];
    let next: string | undefined;
    try {
      do {
        const cont = next;
        const page = await withRetry(this.base.retryPolicy, async () => {
          try {
            return (await this.objects.listNamespacedCustomObject({
              group: VM_GROUP,
              version: VM_VERSION,
              namespace,
              plural,
              limit: PAGE_SIZE,
              ...(labelSelector === undefined ? {} : { labelSelector }),
              ...(cont === undefined ? {} : { _continue: cont }),
            })) as { items?: unknown[]; metadata?: { continue?: string } };
          } catch (err) {
            throw toBackendError(context, err);
          }
        });
        items.push(...(page.items ?? []));
        next = page.metadata?.continue === undefined || page.metadata.continue === "" ? undefined : page.metadata.continue;
      } while (next !== undefined);
    } catch (err) {
      // 403: the user may not list them; 404: KubeVirt's VM API is not served.
      if (BackendError.isInstance(err) && (err.status === 403 || err.status === 404)) {
        return undefined;
      }
      throw err;
    }
    return items;
  }

  /**
   * The VMs whose labels match `labelSelector` (`key=value,...`, the pool's
   * selector); undefined when they may not be listed.
   */
  async listVms(context: ErrorContext, namespace: string, labelSelector: string): Promise<ObservedKubevirtVm[] | undefined> {
    const items = await this.listAll(context, namespace, "virtualmachines", labelSelector);
    return items === undefined ? undefined : fromKubevirtVmList({ items });
  }

  /**
   * Every VMI of the namespace (a VMI carries the VM template's instance
   * labels, not the VM labels the pool selects by, so they are joined by
   * name and owner); undefined when they may not be listed.
   */
  async listVmis(context: ErrorContext, namespace: string): Promise<ObservedKubevirtVmi[] | undefined> {
    const items = await this.listAll(context, namespace, "virtualmachineinstances", undefined);
    return items === undefined ? undefined : fromKubevirtVmiList({ items });
  }
}
