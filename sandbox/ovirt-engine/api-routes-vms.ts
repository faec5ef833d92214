/**
 * The VM, disk and storage resources under `/ovirt-engine/api` (reference
 * §3; README "VM settings of pool VMs"): list, read, update and remove VMs,
 * their actions, their disks, storage domains and disk profiles.
 */
import { action, need, ok, search, type Handler } from "./api-route-kit";
import { requireAdmin } from "./commands/permissions";
import { updateVm } from "./commands/vm-update";
import { detachVm, removeVm, startVm, stopVm, suspendVm } from "./commands/vms";
import type { Engine } from "./engine";
import type { Vm, VmDisk } from "./model";
import { renderStoredVm, toCollection } from "./render";
import { renderDisk, renderDiskAttachment, renderDiskProfile, renderStorageDomain } from "./render-vm";

const ID = "([^/]+)";

/** `next_run=true` (query or matrix parameter), as `BackendVmResource.isNextRunRequested` reads it. */
function nextRun(query: URLSearchParams): boolean {
  return query.get("next_run") === "true";
}

function diskById(engine: Engine, id: string): { vm: Vm; disk: VmDisk } | undefined {
  for (const vm of engine.store.vms.values()) {
    const disk = vm.disks.find((d) => d.id === id);
    if (disk !== undefined) {
      return { vm, disk };
    }
  }
  return undefined;
}

/** VM, disk and storage routes: method, path pattern, handler. */
export const VM_ROUTES: [string, string, Handler][] = [
  [
    "GET",
    "/vms",
    (e, r) =>
      ok(
        toCollection(
          "vm",
          search(r, [...e.store.vms.values()], {
            name: (v) => v.name,
            pool: (v) => (v.poolId === undefined ? undefined : e.store.pools.get(v.poolId)?.name),
            status: (v) => v.status,
            cluster: (v) => e.store.clusters.get(v.clusterId)?.name,
          }).map((v) => renderStoredVm(e.store, v, { allContent: r.allContent })),
        ),
      ),
  ],
  ["GET", `/vms/${ID}`, (e, r, [id]) => ok(renderStoredVm(e.store, need(e.store.vms.get(id ?? "")), { allContent: r.allContent, nextRun: nextRun(r.query) }))],
  [
    "PUT",
    `/vms/${ID}`,
    (e, r, [id]) => {
      const vm = need(e.store.vms.get(id ?? ""));
      requireAdmin(e, r.ctx.user, { type: "vm", id: vm.id });
      const updated = updateVm(e, vm, r.body, nextRun(r.query));
      return ok(renderStoredVm(e.store, updated, { allContent: r.allContent, nextRun: nextRun(r.query) }));
    },
  ],
  [
    "DELETE",
    `/vms/${ID}`,
    (e, r, [id]) => {
      const vm = need(e.store.vms.get(id ?? ""));
      requireAdmin(e, r.ctx.user, { type: "vm", id: vm.id });
      removeVm(e, vm);
      return { status: r.async ? 202 : 200 };
    },
  ],
  ...(["detach", "stop", "shutdown", "start", "suspend"] as const).map((verb): [string, string, Handler] => [
    "POST",
    `/vms/${ID}/${verb}`,
    (e, r, [id]) => {
      const vm = need(e.store.vms.get(id ?? ""));
      if (!vm.userIds.includes(r.ctx.user.id) || verb === "detach") {
        requireAdmin(e, r.ctx.user, { type: "vm", id: vm.id });
      }
      return action(r, () => {
        switch (verb) {
          case "detach":
            detachVm(e, vm);
            break;
          case "stop":
          case "shutdown":
            stopVm(e, vm);
            break;
          case "start":
            startVm(e, vm);
            break;
          case "suspend":
            suspendVm(vm);
            break;
        }
        return {};
      });
    },
  ]),
  [
    "GET",
    `/vms/${ID}/diskattachments`,
    (e, _r, [id]) => {
      const vm = need(e.store.vms.get(id ?? ""));
      return ok(toCollection("disk_attachment", vm.disks.map((d) => renderDiskAttachment(vm, d))));
    },
  ],
  [
    "GET",
    `/vms/${ID}/diskattachments/${ID}`,
    (e, _r, [id, diskId]) => {
      const vm = need(e.store.vms.get(id ?? ""));
      return ok(renderDiskAttachment(vm, need(vm.disks.find((d) => d.id === diskId))));
    },
  ],
  ["GET", `/disks/${ID}`, (e, _r, [id]) => ok(renderDisk(need(diskById(e, id ?? "")).disk))],
  ["GET", "/storagedomains", (e, r) => ok(toCollection("storage_domain", search(r, [...e.store.storageDomains.values()], { name: (d) => d.name, status: (d) => d.status }).map(renderStorageDomain)))],
  ["GET", `/storagedomains/${ID}`, (e, _r, [id]) => ok(renderStorageDomain(need(e.store.storageDomains.get(id ?? ""))))],
  [
    "GET",
    `/storagedomains/${ID}/diskprofiles`,
    (e, _r, [id]) => {
      const domain = need(e.store.storageDomains.get(id ?? ""));
      return ok(toCollection("disk_profile", [...e.store.diskProfiles.values()].filter((p) => p.storageDomainId === domain.id).map(renderDiskProfile)));
    },
  ],
  ["GET", "/diskprofiles", (e) => ok(toCollection("disk_profile", [...e.store.diskProfiles.values()].map(renderDiskProfile)))],
  ["GET", `/diskprofiles/${ID}`, (e, _r, [id]) => ok(renderDiskProfile(need(e.store.diskProfiles.get(id ?? ""))))],
];
