/**
 * Cross-field rules of `backend.vm` on oVirt, checked before anything is
 * sent. Pure functions returning every problem; the policy pack reuses them.
 */
import type { RuleIssue } from "./kubevirt-rules";
import { hasStoredPassword } from "./ovirt-initial-run";
import { validateOvirtSysprepVmNames } from "./ovirt-rules";
import type { OvirtVmSettings } from "./ovirt-vm-settings";

const VM = ["backend", "vm"] as const;

/**
 * Host CPU pass-through only with migration disabled: the guest sees the
 * host's exact CPU, which no other host is guaranteed to have (seed 002,
 * Host tab: "Pass-Through Host CPU" is available with "Do not allow
 * migration"). Example: `{passThroughHostCpu: true, migrationMode: "manual"}`
 * fails; with `migrationMode: "none"` it passes.
 */
export function validatePassThroughHostCpu(vm: OvirtVmSettings | undefined): RuleIssue[] {
  const host = vm?.host;
  if (host?.passThroughHostCpu !== true || host.migrationMode === "none") {
    return [];
  }
  return [
    {
      path: [...VM, "host", "passThroughHostCpu"],
      value: true,
      message: `needs 'backend.vm.host.migrationMode: "none"' (got ${host.migrationMode === undefined ? "the template's migration mode" : `'${host.migrationMode}'`}): a VM with the host's CPU passed through cannot migrate`,
    },
  ];
}

/**
 * NUMA tune mode `preferred` needs exactly one NUMA node (seed 002: "Preferred
 * ... one node"; the engine's `VmValidator` refuses more). Example:
 * `{numaTuneMode: "preferred", numaNodes: 2}` fails; `numaNodes: 1` passes.
 * A `preferred` without a node count is refused too, since the template's
 * count is unknown to `check()`.
 */
export function validateNumaTuneMode(vm: OvirtVmSettings | undefined): RuleIssue[] {
  const host = vm?.host;
  if (host?.numaTuneMode !== "preferred" || host.numaNodes === 1) {
    return [];
  }
  return [
    {
      path: [...VM, "host", "numaTuneMode"],
      value: "preferred",
      message: `'preferred' needs exactly one NUMA node: set 'backend.vm.host.numaNodes' to 1 (got ${host.numaNodes === undefined ? "none" : String(host.numaNodes)}), or use 'strict' or 'interleave'`,
    },
  ];
}

/**
 * NUMA cannot reach a pool's VMs over the REST API: the `vm` of
 * `POST /vmpools` has no node count (nodes live in `/vms/{id}/numanodes`),
 * the template's nodes are not copied into pool VMs, and `numa_tune_mode`
 * only re-tunes existing nodes (engine `VmMapper.map(Vm, VmStatic)`), so
 * the engine would silently create VMs without them. Refused rather than
 * ignored; {@link validateNumaTuneMode} still reports its own rule.
 */
export function validateNumaReachable(vm: OvirtVmSettings | undefined): RuleIssue[] {
  const host = vm?.host;
  if (host === undefined || ((host.numaNodes ?? 0) === 0 && host.numaTuneMode === undefined)) {
    return [];
  }
  const field = (host.numaNodes ?? 0) > 0 ? "numaNodes" : "numaTuneMode";
  return [
    {
      path: [...VM, "host", field],
      value: host[field],
      message: "cannot be applied to pool VMs through the engine's REST API (a pool's VMs get no NUMA nodes, and the tune mode only tunes existing nodes); give the template the NUMA nodes instead",
    },
  ];
}

/**
 * Guaranteed memory at most the memory, and the memory at most the maximum
 * memory (the engine's `VmValidator`: `ACTION_TYPE_FAILED_MIN_MEMORY_...`,
 * `ACTION_TYPE_FAILED_MAX_MEMORY_...`). Only values given are compared.
 */
export function validateMemory(vm: OvirtVmSettings | undefined): RuleIssue[] {
  const r = vm?.resources;
  const issues: RuleIssue[] = [];
  if (r?.guaranteedMemoryMiB !== undefined && r.memoryMiB !== undefined && r.guaranteedMemoryMiB > r.memoryMiB) {
    issues.push({ path: [...VM, "resources", "guaranteedMemoryMiB"], value: r.guaranteedMemoryMiB, message: `must not exceed 'memoryMiB' (${r.memoryMiB})` });
  }
  if (r?.maxMemoryMiB !== undefined && r.memoryMiB !== undefined && r.maxMemoryMiB < r.memoryMiB) {
    issues.push({ path: [...VM, "resources", "maxMemoryMiB"], value: r.maxMemoryMiB, message: `must be at least 'memoryMiB' (${r.memoryMiB})` });
  }
  return issues;
}

/**
 * Storage: an explicit target domain contradicts `autoStorageSelect`, and a
 * disk profile belongs to a storage domain, so it needs one.
 */
export function validateStorage(vm: OvirtVmSettings | undefined, autoStorageSelect: boolean): RuleIssue[] {
  const r = vm?.resources;
  const issues: RuleIssue[] = [];
  if (r?.storageDomain !== undefined && autoStorageSelect) {
    issues.push({ path: [...VM, "resources", "storageDomain"], value: r.storageDomain, message: "must not be set with 'backend.autoStorageSelect: true': choose automatic selection or one storage domain" });
  }
  if (r?.diskProfile !== undefined && r.storageDomain === undefined) {
    issues.push({ path: [...VM, "resources", "diskProfile"], value: r.diskProfile, message: "needs 'backend.vm.resources.storageDomain': a disk profile belongs to one storage domain" });
  }
  return issues;
}

/**
 * Initial run: cloud-init or sysprep, not both (the engine keeps one
 * initialization per VM); with sysprep every VM name the pool's mask makes
 * must fit Windows' 15-character computer name (`MaxVmNameLengthSysprep`).
 * Example: pool `classroom-12-???` with sysprep fails (16 characters).
 */
export function validateInitialRun(vm: OvirtVmSettings | undefined, poolName: string, size: number): RuleIssue[] {
  const run = vm?.initialRun;
  const issues: RuleIssue[] = [];
  if (run?.cloudInit !== undefined && run.sysprep !== undefined) {
    issues.push({ path: [...VM, "initialRun"], value: "cloudInit and sysprep", message: "must set either 'cloudInit' (Linux templates) or 'sysprep' (Windows templates), not both" });
  }
  if (run?.sysprep !== undefined) {
    issues.push(...validateOvirtSysprepVmNames(poolName, size));
  }
  if (run?.cloudInit?.hostName !== undefined && size > 1) {
    issues.push({
      path: [...VM, "initialRun", "cloudInit", "hostName"],
      value: run.cloudInit.hostName,
      message: `must be left out for a pool of more than one VM (size ${size}): the engine copies one initialization to every pool VM, so all ${size} would get this host name`,
    });
  }
  return issues;
}

/**
 * USB needs a VM edit after the create (`POST /vmpools` ignores `vm.usb`),
 * which the engine refuses on a stateless pool's VMs once their initial run
 * stores a password. Example: `{usb: true, initialRun: {sysprep:
 * {adminPassword: "x"}}}` on a stateless pool fails; the password in the
 * sysprep file instead passes.
 */
export function validateUsbReachable(vm: OvirtVmSettings | undefined, stateful: boolean): RuleIssue[] {
  if (vm?.usb === undefined || stateful || !hasStoredPassword(vm.initialRun)) {
    return [];
  }
  return [
    {
      path: [...VM, "usb"],
      value: vm.usb,
      message:
        "cannot reach the VMs of this stateless pool: the engine's pool create ignores USB, and the engine refuses later edits of stateless pool VMs whose initial run stores a password; set USB on the template, or put the password in 'sysprep.customFile' or 'cloudInit.customScript'",
    },
  ];
}

/** Every rule of `backend.vm`. */
export function validateOvirtVmSettings(inputs: { name: string; size: number; stateful: boolean; backend: { vm?: OvirtVmSettings | undefined; autoStorageSelect: boolean } }): RuleIssue[] {
  const vm = inputs.backend.vm;
  return [...validateUsbReachable(vm, inputs.stateful), ...validatePassThroughHostCpu(vm), ...validateNumaTuneMode(vm), ...validateNumaReachable(vm), ...validateMemory(vm), ...validateStorage(vm, inputs.backend.autoStorageSelect), ...validateInitialRun(vm, inputs.name, inputs.size)];
}
