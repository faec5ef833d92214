/**
 * Conformance, sandbox README "VM settings of pool VMs", checks: what the
 * engine refuses in a pool create's `vm` element (bean validation of
 * `AddVmPoolParameters.vmStaticData`, then each pool VM's
 * `AddVmCommand.validate`, whose messages fail the create after
 * `VmPoolMaxSubsequentFailures` and leave no pool), and what it lets through
 * although the portal forbids it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { expectOperationFailed, poolBody, startManualSandbox } from "./pool-conformance-helpers";
import type { RawResponse, TestSandbox } from "./sandbox-client";
import { createPoolWithVm, MIB, settingsOf } from "./vm-settings-helpers";

describe("VM settings of pool VMs: the engine's checks", () => {
  let t: TestSandbox;
  const post = (name: string, vm: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<RawResponse> => t.api("POST", "/vmpools", { body: poolBody(name, { vm, ...extra }) });
  const poolExists = async (name: string): Promise<boolean> => {
    const res = await t.api("GET", `/vmpools?search=${encodeURIComponent(`name=${name}`)}`);
    return "vm_pool" in (res.json as Record<string, unknown>);
  };
  /** A refused create: the status and detail, and no pool and no VM left behind (AddVmPoolCommand.onNoVmsAdded). */
  const expectRefused = async (name: string, vm: Record<string, unknown>, status: number, detail: string): Promise<void> => {
    expectOperationFailed(await post(name, vm, { size: 2 }), status, detail);
    expect(await poolExists(name)).toBe(false);
    expect(await settingsOf(t, name)).toEqual([]);
  };

  beforeAll(async () => {
    t = await startManualSandbox();
    t.sandbox.control.seed({ clusters: [{ name: "Other", dataCenter: "Default" }], hosts: [{ id: "a1b2c3d4-0000-4000-8000-0000000a5099", name: "other-host", cluster: "Other" }] });
  });
  afterAll(async () => t?.close());

  it("migration_downtime below -1: bean validation, 400 with the attribute path (VmBase.migrationDowntime @Min(0))", async () => {
    await expectRefused("downtime-neg", { migration_downtime: -5 }, 400, "[Migration downtime must be between 0 and 2147483647 milliseconds., Attribute: vmStaticData.migrationDowntime]");
  });

  it("a time zone of the other OS family: bean validation, 400 ACTION_TYPE_FAILED_INVALID_TIMEZONE (TimeZoneValidator, timezones-defaults.properties)", async () => {
    await expectRefused("tz-linux-windows-name", { time_zone: { name: "W. Europe Standard Time" } }, 400, "[Cannot create VM-Pool. Invalid time zone for given OS type., Attribute: vmStaticData]");
    expectOperationFailed(await post("tz-windows-iana-name", { time_zone: { name: "Europe/Berlin" } }, { template: { name: "win2019-desktop" } }), 400, "[Cannot create VM-Pool. Invalid time zone for given OS type., Attribute: vmStaticData]");
    const ok = await post("tz-windows-ok", { time_zone: { name: "W. Europe Standard Time" } }, { template: { name: "win2019-desktop" } });
    expect(ok.status, ok.text).toBe(201);
  });

  it("a pinned host that does not exist: 409 ACTION_TYPE_FAILED_DEDICATED_VDS_DOES_NOT_EXIST (VmHandler.validateDedicatedVdsExistOnSameCluster)", async () => {
    await expectRefused(
      "pin-missing",
      { placement_policy: { hosts: { host: [{ id: "a1b2c3d4-0000-4000-8000-00000000dead" }] } } },
      409,
      "[Cannot create VM-Pool. VM is pinned to a specific host. The required host doesn't exist.]",
    );
  });

  it("a pinned host of another cluster: 409 ACTION_TYPE_FAILED_DEDICATED_VDS_NOT_IN_SAME_CLUSTER", async () => {
    await expectRefused(
      "pin-other-cluster",
      { placement_policy: { hosts: { host: [{ id: DEFAULT_SEED_IDS.host }, { id: "a1b2c3d4-0000-4000-8000-0000000a5099" }] } } },
      409,
      "[Cannot create VM-Pool. VM is pinned to a specific host. The host's cluster must be the same as the selected VM cluster.]",
    );
  });

  it("guaranteed memory above memory: 400 ACTION_TYPE_FAILED_MIN_MEMORY_CANNOT_EXCEED_MEMORY_SIZE (AddVmCommand.validate)", async () => {
    await expectRefused("mem-guaranteed", { memory: 1024 * MIB, memory_policy: { guaranteed: 2048 * MIB } }, 400, "[Cannot create VM-Pool. Physical Memory Guaranteed cannot exceed Memory Size.]");
  });

  it("maximum memory below memory: 409 with both sizes in MB (VmHandler.validateMaxMemorySize)", async () => {
    await expectRefused(
      "mem-max",
      { memory: 4096 * MIB, memory_policy: { guaranteed: 1024 * MIB, max: 2048 * MIB } },
      409,
      "[Cannot create VM-Pool. Memory size (4096MB) cannot exceed maximum memory size (2048MB).]",
    );
  });

  it.each([
    [{ sockets: 16, cores: 16, threads: 4 }, "[Cannot create VM-Pool. Maximum number of CPUs exceeded.]"],
    [{ sockets: 1, cores: 255, threads: 1 }, "[Cannot create VM-Pool. Maximum number of CPUs per socket exceeded.]"],
    [{ sockets: 1, cores: 1, threads: 9 }, "[Cannot create VM-Pool. Maximum number of threads per cpu exceeded]"],
    [{ sockets: 1, cores: 0, threads: 1 }, "[Minimum number of CPU per socket cannot be less than 1]"],
    [{ sockets: 0, cores: 1, threads: 1 }, "[Minimum number of sockets cannot be less then 1]"],
    [{ sockets: 1, cores: 1, threads: 0 }, "[Minimum number of threads per CPU cannot be less than 1]"],
  ])("CPU topology %j: 409 (VmValidator.validateCpuSockets, cluster level 4.8 limits)", async (topology, detail) => {
    await expectRefused(`cpu-${topology.sockets}-${topology.cores}-${topology.threads}`, { cpu: { topology } }, 409, detail);
  });

  it("sockets above MaxNumOfVmSockets: 409 ACTION_TYPE_FAILED_MAX_NUM_SOCKETS", async () => {
    t.sandbox.control.setConfig({ MaxNumOfVmSockets: 16 });
    try {
      await expectRefused("cpu-sockets", { cpu: { topology: { sockets: 17, cores: 1, threads: 1 } } }, 409, "[Cannot create VM-Pool. Maximum number of sockets exceeded.]");
    } finally {
      t.sandbox.control.setConfig({ MaxNumOfVmSockets: 10000 });
    }
  });

  it("pinned hosts are checked before memory: the first failing AddVm check is the only message", async () => {
    await expectRefused(
      "order-pin-mem",
      { placement_policy: { hosts: { host: [{ id: "a1b2c3d4-0000-4000-8000-00000000dead" }] } }, memory: 1024 * MIB, memory_policy: { guaranteed: 2048 * MIB } },
      409,
      "[Cannot create VM-Pool. VM is pinned to a specific host. The required host doesn't exist.]",
    );
  });

  it("a grow with settings the AddVm refuses fails with edit/VM-Pool and keeps the pool as it was", async () => {
    const pool = await createPoolWithVm(t, "grow-refused", { placement_policy: { hosts: { host: [{ id: DEFAULT_SEED_IDS.host2 }] } } });
    t.sandbox.control.engine.store.hosts.delete(DEFAULT_SEED_IDS.host2);
    try {
      const res = await t.api("PUT", `/vmpools/${pool.id}`, { body: { size: 3 } });
      expectOperationFailed(res, 409, "[Cannot edit VM-Pool. VM is pinned to a specific host. The required host doesn't exist.]");
      expect((await settingsOf(t, "grow-refused")).map((v) => v.name)).toEqual(["grow-refused-1"]);
    } finally {
      t.sandbox.control.seed({ hosts: [{ id: DEFAULT_SEED_IDS.host2, name: "host2", cluster: "Default" }] });
    }
  });

  it("pass-through host CPU with migration allowed is accepted: nothing in the backend raises VM_HOSTCPU_MUST_BE_PINNED_TO_HOST", async () => {
    const res = await post("passthrough-migratable", { cpu: { mode: "host_passthrough" }, placement_policy: { affinity: "migratable" } });
    expect(res.status, res.text).toBe(201);
    const [vm] = await settingsOf(t, "passthrough-migratable");
    expect([vm?.cpu.mode, vm?.placement_policy.affinity]).toEqual(["host_passthrough", "migratable"]);
  });

  it("NUMA tune mode preferred without a single node is accepted: pool VMs have no vNUMA nodes for NumaValidator to check", async () => {
    const res = await post("numa-preferred-many", { numa_tune_mode: "preferred", cpu: { topology: { sockets: 2, cores: 1, threads: 1 } } });
    expect(res.status, res.text).toBe(201);
  });

  it("a Windows pool whose VM names exceed MaxVmNameLengthSysprep (15) is accepted: only MaxVmNameLength (64) is checked (VmCommand.isVmNameValidLength)", async () => {
    const res = await post("windows-desktops-??", { initialization: { domain: "ad.example.org" } }, { template: { name: "win2019-desktop" }, size: 2 });
    expect(res.status, res.text).toBe(201);
    expect((await settingsOf(t, "windows-desktops-??")).map((v) => v.name)).toEqual(["windows-desktops-01", "windows-desktops-02"]);
  });

  it("sysprep data on a Linux template and cloud-init data on a Windows one are accepted (CloudInitHandler.validate checks networks only)", async () => {
    const sysprepOnLinux = await post("sysprep-on-linux", { initialization: { custom_script: "<unattend/>", domain: "ad.example.org" } });
    const cloudInitOnWindows = await post("cloudinit-on-win", { initialization: { authorized_ssh_keys: "ssh-ed25519 AAAA", user_name: "cloud" } }, { template: { name: "win2019-desktop" } });
    expect([sysprepOnLinux.status, cloudInitOnWindows.status]).toEqual([201, 201]);
  });
});
