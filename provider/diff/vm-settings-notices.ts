/**
 * What `preview` says about a change of an oVirt pool's VM settings
 * (`backend.vm`): the engine gives a pool's settings to VMs only when it
 * creates them (reference §2.4), so each changed setting is named with the
 * VMs that keep the old value and what the change will reach.
 */

/** One existing VM as preview sees it. */
export interface VmForNotice {
  readonly name: string;
  readonly status: string;
  /** Whether a user holds it. */
  readonly taken: boolean;
  /** Declared settings (paths under `backend.vm`) it does not carry. */
  readonly stale: readonly string[];
}

/** Lists names, at most `max` of them. Example: `["a","b","c"]`, 2 -> `a, b and 1 more`. */
export function listNames(names: readonly string[], max = 10): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

/**
 * One warning per changed setting. Example: setting `host.migrationMode`,
 * VMs `lab-1` (down, free) and `lab-2` (up), policy `newVmsOnly` ->
 * "VmPool 'lab-?': backend.vm.host.migrationMode changes for VMs created
 * from now on only; 2 existing VMs keep the old value (lab-1, lab-2) ...".
 */
export function describeVmSettingChanges(pool: string, changed: readonly string[], vms: readonly VmForNotice[], policy: "newVmsOnly" | "updateFreeVms", removed: readonly string[] = []): string[] {
  return changed.flatMap((setting) => {
    if (removed.includes(setting)) {
      return [
        `VmPool '${pool}': backend.vm.${setting} is no longer declared: every VM keeps its current value, and VMs created from now on copy an existing VM's (the engine's grow does); the provider does not reset VMs to the template's value`,
      ];
    }
    const keeping = vms.filter((vm) => vm.stale.includes(setting));
    const head = `VmPool '${pool}': backend.vm.${setting} changes`;
    if (keeping.length === 0) {
      return [`${head}; every existing VM already carries the new value, and VMs created from now on get it`];
    }
    const free = keeping.filter((vm) => vm.status === "down" && !vm.taken);
    const busy = keeping.filter((vm) => !(vm.status === "down" && !vm.taken)).map((vm) => `${vm.name} (${vm.taken ? `${vm.status}, in use` : vm.status})`);
    const engine = "the engine gives pool VMs their settings only when it creates them (a pool edit over its REST API does not reach existing VMs)";
    if (policy === "newVmsOnly") {
      return [
        `${head} for VMs created from now on only: ${keeping.length} existing VM${keeping.length === 1 ? " keeps" : "s keep"} the old value (${listNames(keeping.map((vm) => vm.name))}), as ${engine}; set 'backend.vmUpdatePolicy: "updateFreeVms"' to update the ${free.length} down and free now`,
      ];
    }
    return [
      `${head}: 'up' updates ${free.length} existing VM${free.length === 1 ? "" : "s"} down and free now (${listNames(free.map((vm) => vm.name)) || "none"}), one at a time; ${busy.length} keep${busy.length === 1 ? "s" : ""} the old value while running or in use (${listNames(busy) || "none"}), as ${engine}; VMs created from now on get it`,
    ];
  });
}
