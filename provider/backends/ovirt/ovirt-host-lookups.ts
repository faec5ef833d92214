/**
 * Resolves the hosts a pool's VMs may start on (`backend.vm.host.startOn`)
 * to their ids, read-only: the engine's pool create maps placement hosts by
 * id only (`VmBaseMapper`), and the hosts must be in the pool's cluster.
 */
import { BackendError, type ErrorContext } from "../../errors";
import type { OvirtVmSettings } from "../../schemas/ovirt-vm-settings";
import type { OvirtClient } from "./client";
import type { VmSettingsRefs } from "./vm-settings-mapping";

/** No hosts named: nothing to resolve. */
export const NO_HOST_REFS: VmSettingsRefs = { hostIds: new Map() };

/**
 * Host name -> id for every host `startOn` names; throws a 404
 * {@link BackendError} naming the hosts that do not exist in the cluster.
 */
export async function resolveOvirtStartHosts(client: OvirtClient, ctx: ErrorContext, vm: OvirtVmSettings | undefined, clusterId: string): Promise<VmSettingsRefs> {
  const startOn = vm?.host?.startOn;
  if (startOn === undefined || startOn === "any") {
    return NO_HOST_REFS;
  }
  const answer = await client.call(ctx, "GET", "/hosts", { idempotent: true });
  const hosts = (answer.body as { host?: { id: string; name: string; cluster?: { id: string } }[] } | undefined)?.host ?? [];
  const inCluster = hosts.filter((h) => h.cluster?.id === clusterId);
  const hostIds = new Map<string, string>();
  const missing: string[] = [];
  for (const name of startOn) {
    const host = inCluster.find((h) => h.name === name || h.id === name);
    if (host === undefined) {
      missing.push(name);
    } else {
      hostIds.set(name, host.id);
    }
  }
  if (missing.length > 0) {
    throw new BackendError(ctx, `names host${missing.length === 1 ? "" : "s"} ${missing.map((m) => `'${m}'`).join(", ")} that ${missing.length === 1 ? "is" : "are"} not in the pool's cluster; it has ${inCluster.map((h) => `'${h.name}'`).join(", ") || "no hosts"}`, { status: 404 });
  }
  return { hostIds };
}
