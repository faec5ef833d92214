/**
 * Checks `backend.vm.resources.storageDomain` and `diskProfile` read-only
 * before anything is sent. Over the REST API the engine places each pool VM
 * disk on a storage domain holding the template's disk, with that disk's
 * profile there (`CommonVmPoolCommand.ensureDestinationImageMap`); the pool
 * create takes no target domain or profile. So the declared domain and
 * profile must exist and belong together; where the disks land is steered by
 * where the template's disks are copied.
 */
import type { CheckFailure } from "../../check";
import type { ErrorContext } from "../../errors";
import type { OvirtVmSettings } from "../../schemas/ovirt-vm-settings";
import type { OvirtClient } from "./client";

interface Named {
  id: string;
  name: string;
}

/** Failures for a storage domain or disk profile that does not exist or does not belong together; none when neither is given. */
export async function verifyOvirtStorage(client: OvirtClient, ctx: ErrorContext, vm: OvirtVmSettings | undefined): Promise<CheckFailure[]> {
  const wanted = vm?.resources?.storageDomain;
  if (wanted === undefined) {
    return [];
  }
  const domains = ((await client.call(ctx, "GET", "/storagedomains", { idempotent: true })).body as { storage_domain?: Named[] } | undefined)?.storage_domain ?? [];
  const domain = domains.find((d) => d.name === wanted || d.id === wanted);
  if (domain === undefined) {
    return [{ property: "backend.vm.resources.storageDomain", reason: `storage domain '${wanted}' does not exist on the engine; it has ${domains.map((d) => `'${d.name}'`).join(", ") || "none"}` }];
  }
  const profile = vm?.resources?.diskProfile;
  if (profile === undefined) {
    return [];
  }
  const profiles = ((await client.call(ctx, "GET", `/storagedomains/${domain.id}/diskprofiles`, { idempotent: true })).body as { disk_profile?: Named[] } | undefined)?.disk_profile ?? [];
  if (!profiles.some((p) => p.name === profile || p.id === profile)) {
    return [{ property: "backend.vm.resources.diskProfile", reason: `disk profile '${profile}' is not a profile of storage domain '${domain.name}'; it has ${profiles.map((p) => `'${p.name}'`).join(", ") || "none"}` }];
  }
  return [];
}
