/**
 * Shared pieces of the VM-settings conformance tests (sandbox README "VM
 * settings of pool VMs"): the JSON of a VM's settings as the engine renders
 * them, and requests that create a pool with a `vm` element and read its VMs.
 */
import { expect } from "vitest";

import { createPool, poolVms, type Link, type PoolJson, type VmJson } from "./pool-conformance-helpers";
import type { TestSandbox } from "./sandbox-client";

/** One MiB in bytes. */
export const MIB = 1_048_576;

/** A VM with the settings `VmMapper.map(VM, Vm)` renders. */
export interface VmSettingsJson extends VmJson {
  memory: number;
  memory_policy: { guaranteed: number; max: number; ballooning: boolean };
  cpu: { architecture: string; topology: { sockets: number; cores: number; threads: number }; mode?: string };
  os: { type: string };
  high_availability: { enabled: boolean; priority: number };
  migration_downtime: number;
  migration: { auto_converge: string; compressed: string; encrypted: string; parallel_migrations_policy: string; policy?: { id: string } };
  placement_policy: { affinity: string; hosts?: { host: Link[] } };
  sso: { methods: { method?: { id: string }[] } };
  display: { type: string; monitors: number; smartcard_enabled: boolean };
  usb: { enabled: boolean; type?: string };
  time_zone?: { name: string };
  domain?: { name: string };
  initialization?: Record<string, unknown>;
  soundcard_enabled?: boolean;
  numa_tune_mode?: string;
  next_run_configuration_exists: boolean;
  cluster?: Link;
}

/** `POST /vmpools` on the default cluster with a `vm` element (and any pool attributes); returns the pool. */
export async function createPoolWithVm(t: TestSandbox, name: string, vm: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<PoolJson> {
  return createPool(t, name, { vm, ...extra });
}

/** The pool's VMs with their settings, sorted by name. */
export async function settingsOf(t: TestSandbox, poolName: string): Promise<VmSettingsJson[]> {
  const vms = (await poolVms(t, poolName)) as VmSettingsJson[];
  return vms.sort((a, b) => a.name.localeCompare(b.name));
}

/** The first VM (by name) of a pool, which must exist. */
export async function firstVm(t: TestSandbox, poolName: string): Promise<VmSettingsJson> {
  const [vm] = await settingsOf(t, poolName);
  expect(vm, `a VM in ${poolName}`).toBeDefined();
  return vm as VmSettingsJson;
}

/** `GET /vms/{id}` with optional `All-Content: true` or `next_run=true`. */
export async function getVm(t: TestSandbox, id: string, options: { allContent?: boolean; nextRun?: boolean } = {}): Promise<VmSettingsJson> {
  const res = await t.api("GET", `/vms/${id}${options.nextRun === true ? "?next_run=true" : ""}`, options.allContent === true ? { headers: { "All-Content": "true" } } : {});
  expect(res.status, res.text).toBe(200);
  return res.json as VmSettingsJson;
}
