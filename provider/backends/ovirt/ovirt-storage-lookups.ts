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

/** The declared storage domain and disk profile as ids, or the failures that say why they do not resolve. */
export async function resolveOvirtStorage(client: OvirtClient, ctx: ErrorContext, vm: OvirtVmSettings | undefined): Promise<{ domainId?: string; profileId?: string; failures: CheckFailure[] }> {
  const wanted = vm?.resources?.storageDomain;
  if (wanted === undefined) {
    return { failures: [] };
  }
  const domains = ((await client.call(ctx, "GET", "/storagedomains", { idempotent: true })).body as { storage_domain?: Named[] } | undefined)?.storage_domain ?? [];
  const domain = domains.find((d) => d.name === wanted || d.id === wanted);
  if (domain === undefined) {
    return { failures: [{ property: "backend.vm.resources.storageDomain", reason: `storage domain '${wanted}' does not exist on the engine; it has ${domains.map((d) => `'${d.name}'`).join(", ") || "none"}` }] };
  }
  const profile = vm?.resources?.diskProfile;
  if (profile === undefined) {
    return { domainId: domain.id, failures: [] };
  }
  const profiles = ((await client.call(ctx, "GET", `/storagedomains/${domain.id}/diskprofiles`, { idempotent: true })).body as { disk_profile?: Named[] } | undefined)?.disk_profile ?? [];
  const found = profiles.find((p) => p.name === profile || p.id === profile);
  if (found === undefined) {
    return { domainId: domain.id, failures: [{ property: "backend.vm.resources.diskProfile", reason: `disk profile '${profile}' is not a profile of storage domain '${domain.name}'; it has ${profiles.map((p) => `'${p.name}'`).join(", ") || "none"}` }] };
  }
  return { domainId: domain.id, profileId: found.id, failures: [] };
}

/** Failures for a storage domain or disk profile that does not exist or does not belong together; none when neither is given. */
export async function verifyOvirtStorage(client: OvirtClient, ctx: ErrorContext, vm: OvirtVmSettings | undefined): Promise<CheckFailure[]> {
  return (await resolveOvirtStorage(client, ctx, vm)).failures;
}

/**
 * For each VM, `resources.storageDomain` and `resources.diskProfile` when
 * one of its disks is elsewhere or has another profile: the engine chose
 * the place from the template's disks, not from the declaration. Asks the
 * engine about each VM's disks, so only when a domain is declared.
 */
export async function findOvirtStorageMismatches(client: OvirtClient, ctx: ErrorContext, vm: OvirtVmSettings | undefined, vmIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const { domainId, profileId, failures } = await resolveOvirtStorage(client, ctx, vm);
  if (domainId === undefined || failures.length > 0) {
    return result;
  }
  for (const id of vmIds) {
    const attachments = ((await client.call(ctx, "GET", `/vms/${id}/diskattachments`, { idempotent: true })).body as { disk_attachment?: { disk?: { id: string } }[] } | undefined)?.disk_attachment ?? [];
    const stale = new Set<string>();
    for (const attachment of attachments) {
      if (attachment.disk === undefined) {
        continue;
      }
      const disk = (await client.call(ctx, "GET", `/disks/${attachment.disk.id}`, { idempotent: true })).body as { storage_domains?: { storage_domain?: { id: string }[] }; disk_profile?: { id: string } } | undefined;
      if (!(disk?.storage_domains?.storage_domain ?? []).some((d) => d.id === domainId)) {
        stale.add("resources.storageDomain");
      }
      if (profileId !== undefined && disk?.disk_profile?.id !== profileId) {
        stale.add("resources.diskProfile");
      }
    }
    result.set(id, [...stale]);
  }
  return result;
}
