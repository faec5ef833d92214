/**
 * A pool as the provider reports it: the `VirtualMachinePool`, its VMs and
 * VMIs, and its own autoscaler, read (never written) and turned into the
 * snapshot Pulumi stores: inputs for refresh, outputs for the program.
 */
import { BackendError, type ErrorContext } from "../../errors";
import type { KubevirtPoolInputs } from "../../schemas/vm-pool";
import type { PoolSnapshot } from "../backend";
import type { KubevirtHpaClient } from "./hpa-client";
import { isOwnAutoscaler, toAutoscalingFromHpa } from "./hpa-mapping";
import { toInputsFromKubevirtPool, type ObservedKubevirtPool } from "./mapping";
import { toKubevirtPoolVms, toKubevirtVmOutputs, type KubevirtPoolVm } from "./pool-vms";
import type { KubevirtVmClient } from "./vm-client";

/** The Pulumi id of a KubeVirt pool: `<namespace>/<name>`. */
export function toKubevirtPoolId(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** A label selector string for exact labels. Example: `{ app: "web", tier: "a" }` -> `app=web,tier=a`. */
export function toLabelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

/** The readers a view needs. */
export interface PoolViewClients {
  readonly vms: KubevirtVmClient;
  readonly hpas: KubevirtHpaClient;
}

/**
 * The VMs the pool controls, with their VMIs, in index order; undefined
 * when the VMs may not be listed. A pool with no VM labels selects nothing.
 */
export async function listKubevirtPoolVms(clients: PoolViewClients, ctx: ErrorContext, pool: ObservedKubevirtPool): Promise<KubevirtPoolVm[] | undefined> {
  if (pool.labels === undefined || Object.keys(pool.labels).length === 0) {
    return [];
  }
  const vms = await clients.vms.listVms(ctx, pool.namespace, toLabelSelector(pool.labels));
  if (vms === undefined) {
    return undefined;
  }
  const owned = vms.filter((vm) => vm.controllerUid === pool.uid);
  // VMIs only matter when there are VMs; they may be unreadable on their own.
  const vmis = owned.length === 0 ? [] : await clients.vms.listVmis(ctx, pool.namespace);
  return toKubevirtPoolVms(pool.uid, owned, vmis);
}

/**
 * The snapshot of a live pool: inputs as `read` reports them (the pool's
 * own autoscaler included), and the outputs: identity, the controller's
 * counts, the size now, and the VMs when they may be listed.
 */
export async function toKubevirtSnapshot(clients: PoolViewClients, ctx: ErrorContext, observed: ObservedKubevirtPool, previous: KubevirtPoolInputs | undefined): Promise<PoolSnapshot> {
  const hpa = await clients.hpas.tryGet(ctx, observed.namespace, observed.name).catch((err: unknown) => {
    // A user who may not read autoscalers is fine as long as the pool has none.
    if (BackendError.isInstance(err) && err.status === 403 && previous?.backend.autoscaling === undefined) {
      return undefined;
    }
    throw err;
  });
  const autoscaling = hpa !== undefined && isOwnAutoscaler(hpa, observed.uid) ? toAutoscalingFromHpa(hpa) : undefined;
  const inputs = toInputsFromKubevirtPool(observed, previous, autoscaling);
  const vms = await listKubevirtPoolVms(clients, ctx, observed);
  return {
    id: toKubevirtPoolId(observed.namespace, observed.name),
    inputs,
    state: {
      ...inputs,
      uid: observed.uid,
      apiVersion: observed.apiVersion,
      vmCount: observed.vmCount,
      readyVmCount: observed.readyVmCount,
      currentSize: observed.size,
      ...(vms === undefined ? {} : toKubevirtVmOutputs(vms)),
    },
  };
}
