/**
 * The checks `AddVmCommand.validate` and `UpdateVmCommand.validate` run on a
 * VM's settings, in the engine's order (`VmHandler.validateDedicatedVdsExistOnSameCluster`,
 * `VmValidator.validateCpuSockets`, `VmHandler.validateMaxMemorySize`).
 * Pass-through CPU with migration, NUMA `preferred` and the sysprep name
 * length are not checked by the engine (README "VM settings of pool VMs").
 */
import type { EngineStore } from "../model";
import type { MessageRef } from "../faults";
import type { VmSettings } from "../vm-settings";

/** Pinned hosts must exist and be in the VM's cluster. */
export function checkPinnedHosts(store: EngineStore, clusterId: string, s: VmSettings): MessageRef | undefined {
  for (const hostId of s.hostIds) {
    const host = store.hosts.get(hostId);
    if (host === undefined) {
      return "ACTION_TYPE_FAILED_DEDICATED_VDS_DOES_NOT_EXIST";
    }
    if (host.clusterId !== clusterId) {
      return "ACTION_TYPE_FAILED_DEDICATED_VDS_NOT_IN_SAME_CLUSTER";
    }
  }
  return undefined;
}

/** `VmValidator.validateCpuSockets` with the cluster level 4.8 limits of the engine config. */
export function checkCpuTopology(store: EngineStore, s: VmSettings): MessageRef | undefined {
  const c = store.config;
  const checks: [boolean, MessageRef][] = [
    [s.sockets * s.cores * s.threads > c.MaxNumOfVmCpus, "ACTION_TYPE_FAILED_MAX_NUM_CPU"],
    [s.sockets > c.MaxNumOfVmSockets, "ACTION_TYPE_FAILED_MAX_NUM_SOCKETS"],
    [s.cores > c.MaxNumOfCpuPerSocket, "ACTION_TYPE_FAILED_MAX_CPU_PER_SOCKET"],
    [s.threads > c.MaxNumOfThreadsPerCpu, "ACTION_TYPE_FAILED_MAX_THREADS_PER_CPU"],
    [s.cores < 1, "ACTION_TYPE_FAILED_MIN_CPU_PER_SOCKET"],
    [s.sockets < 1, "ACTION_TYPE_FAILED_MIN_NUM_SOCKETS"],
    [s.threads < 1, "ACTION_TYPE_FAILED_MIN_THREADS_PER_CPU"],
  ];
  return checks.find(([failed]) => failed)?.[1];
}

/** Guaranteed memory within memory, then memory within max memory. */
export function checkMemory(s: VmSettings): MessageRef | undefined {
  if (s.guaranteedMemoryMb > s.memoryMb) {
    return "ACTION_TYPE_FAILED_MIN_MEMORY_CANNOT_EXCEED_MEMORY_SIZE";
  }
  if (s.maxMemoryMb < s.memoryMb) {
    return { key: "ACTION_TYPE_FAILED_MAX_MEMORY_CANNOT_BE_SMALLER_THAN_MEMORY_SIZE", vars: { maxMemory: String(s.maxMemoryMb), memory: String(s.memoryMb) } };
  }
  return undefined;
}

/** What one `AddVm` of a pool refuses, first failure only, as `AddVmCommand.validate` orders it. */
export function checkAddVm(store: EngineStore, clusterId: string, name: string, s: VmSettings): MessageRef | undefined {
  const pinned = checkPinnedHosts(store, clusterId, s);
  if (pinned !== undefined) {
    return pinned;
  }
  if (name.length > store.config.MaxVmNameLength) {
    return "ACTION_TYPE_FAILED_NAME_LENGTH_IS_TOO_LONG";
  }
  return checkCpuTopology(store, s) ?? checkMemory(s);
}
