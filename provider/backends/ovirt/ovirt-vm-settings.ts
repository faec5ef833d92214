/**
 * Bringing a pool's VMs to the declared `backend.vm` settings, and telling
 * which do not carry them. Engine facts (reference §2.4, checked in the
 * engine source): `POST /vmpools` takes the settings for the VMs it creates;
 * `PUT /vmpools/{id}` ignores its `vm` and a grow copies an existing pool VM
 * (`BackendVmPoolResource.UpdateParametersProvider`); `PUT /vms/{id}` is
 * allowed on a pool VM (`UpdateVmCommand`: only its template version and,
 * for a stateless pool, its initial run are refused), applied at once to a
 * VM that is down and as the next-run configuration of one that runs.
 */
import type { ErrorContext } from "../../errors";
import { hasStoredPassword } from "../../schemas/ovirt-initial-run";
import type { OvirtPoolInputs } from "../../schemas/vm-pool";
import type { OvirtClient } from "./client";
import type { ObservedOvirtVm } from "./mapping";
import { NO_HOST_REFS, resolveOvirtStartHosts } from "./ovirt-host-lookups";
import { findOvirtStorageMismatches } from "./ovirt-storage-lookups";
import { findOvirtVmHolders, createHolderLookups } from "./ovirt-usage";
import { findStaleSettings, toOvirtVmSettingsBody, type VmSettingsRefs } from "./vm-settings-mapping";

/**
 * Whether the engine lets the pool's VMs be edited (`PUT /vms/{id}`): not a
 * stateless pool's once their initial run stores a password.
 */
export function canEditOvirtPoolVms(inputs: OvirtPoolInputs): boolean {
  return inputs.stateful || !hasStoredPassword(inputs.backend.vm?.initialRun);
}

/** Host ids for comparing `startOn`; without them (a host gone) names are compared, which shows as stale. */
export async function resolveHostsForComparison(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs, clusterId: string): Promise<VmSettingsRefs> {
  try {
    return await resolveOvirtStartHosts(client, ctx, inputs.backend.vm, clusterId);
  } catch {
    return NO_HOST_REFS;
  }
}

/** Each VM with the declared settings it does not carry. */
export function findStaleVms(vms: readonly ObservedOvirtVm[], inputs: OvirtPoolInputs, refs: VmSettingsRefs): { vm: ObservedOvirtVm; stale: string[] }[] {
  return vms.map((vm) => ({ vm, stale: findStaleSettings(inputs.backend.vm, vm.fields, refs) }));
}

/**
 * VM id -> the declared settings (paths under `backend.vm`) the VM does not
 * carry, storage placement included; undefined for a pool without
 * `backend.vm`, which declares none.
 */
export async function readOvirtVmSettingsState(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs, vms: readonly ObservedOvirtVm[], clusterId: string): Promise<Map<string, string[]> | undefined> {
  if (inputs.backend.vm === undefined) {
    return undefined;
  }
  const storage = await findOvirtStorageMismatches(client, ctx, inputs.backend.vm, vms.map((vm) => vm.id));
  const refs = await resolveHostsForComparison(client, ctx, inputs, clusterId);
  return new Map(findStaleVms(vms, inputs, refs).map(({ vm, stale }) => [vm.id, [...stale, ...(storage.get(vm.id) ?? [])]]));
}

/**
 * The body that brings one VM to the declared settings. The initial run is
 * left out: a change of it replaces the pool (see `vm-pool-diff.ts`).
 */
export function toVmUpdateBody(inputs: OvirtPoolInputs, refs: VmSettingsRefs): Record<string, unknown> {
  return toOvirtVmSettingsBody(inputs.backend.vm, refs);
}

/**
 * Writes the declared settings to VMs the provider just created, when they
 * lack any: a grow copies an arbitrary existing VM, which may carry old
 * settings, and a create does not take USB. They are new, down and nobody's
 * yet. Returns how many VMs were written.
 */
export async function updateNewOvirtVms(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs, refs: VmSettingsRefs, created: readonly ObservedOvirtVm[]): Promise<number> {
  let updated = 0;
  if (!canEditOvirtPoolVms(inputs)) {
    // check() refuses what would need it (USB); any other change replaces the pool.
    return 0;
  }
  for (const { vm, stale } of findStaleVms(created, inputs, refs)) {
    if (stale.length > 0) {
      await client.call(ctx, "PUT", `/vms/${vm.id}`, { body: toVmUpdateBody(inputs, refs), idempotent: true });
      updated++;
    }
  }
  return updated;
}

/**
 * `vmUpdatePolicy: "updateFreeVms"`: writes the declared settings to each
 * VM that lacks some and is down and held by nobody, one at a time, reading
 * the VM again just before (a user may have taken it meanwhile). VMs running
 * or in use are never touched. Returns the names of the VMs updated.
 */
export async function updateFreeOvirtVms(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs, refs: VmSettingsRefs, vms: readonly ObservedOvirtVm[]): Promise<string[]> {
  const updated: string[] = [];
  if (!canEditOvirtPoolVms(inputs)) {
    return updated;
  }
  const lookups = createHolderLookups();
  for (const { vm, stale } of findStaleVms(vms, inputs, refs)) {
    if (stale.length === 0 || vm.status !== "down") {
      continue;
    }
    const now = (await client.call(ctx, "GET", `/vms/${vm.id}`, { idempotent: true })).body as { status?: string } | undefined;
    if (now?.status !== "down" || (await findOvirtVmHolders(client, ctx, vm, lookups)).length > 0) {
      continue;
    }
    await client.call(ctx, "PUT", `/vms/${vm.id}`, { body: toVmUpdateBody(inputs, refs), idempotent: true });
    updated.push(vm.name);
  }
  return updated;
}
