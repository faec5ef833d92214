/**
 * Conformance, sandbox README "VM settings of pool VMs", edits: a pool PUT
 * never changes VM settings (`BackendVmPoolResource.UpdateParametersProvider`
 * maps the stored pool, so its `vm` element is ignored); a grow copies a pool
 * VM (`GetVmDataByPoolId`) or, with `template` named, re-derives from the
 * template; a template version change re-makes the VMs; `PUT /vms/{id}` on a
 * pool VM (`UpdateVmCommand`) with its pool rules and next-run configuration.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEST_TIMINGS } from "../../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { expectOperationFailed, startManualSandbox } from "./pool-conformance-helpers";
import type { RawResponse, TestSandbox } from "./sandbox-client";
import { createPoolWithVm, getVm, MIB, settingsOf, type VmSettingsJson } from "./vm-settings-helpers";

describe("VM settings of pool VMs: edits", () => {
  let t: TestSandbox;
  const advance = (ms: number): void => {
    t.sandbox.control.advanceClock(ms);
  };
  const putPool = (id: string, body: Record<string, unknown>): Promise<RawResponse> => t.api("PUT", `/vmpools/${id}`, { body });
  const putVm = (id: string, body: Record<string, unknown>, query = ""): Promise<RawResponse> => t.api("PUT", `/vms/${id}${query}`, { body });
  const byName = async (pool: string): Promise<Map<string, VmSettingsJson>> => new Map((await settingsOf(t, pool)).map((v) => [v.name, v]));
  /** A pool of one down VM with the given overrides; returns pool id and VM. */
  const onePool = async (name: string, vm: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ poolId: string; vm: VmSettingsJson }> => {
    const pool = await createPoolWithVm(t, name, vm, extra);
    advance(TEST_TIMINGS.diskCreateMs);
    const [first] = await settingsOf(t, name);
    expect(first?.status).toBe("down");
    return { poolId: pool.id, vm: first as VmSettingsJson };
  };
  /** Starts a pool VM by letting alice take it. */
  const run = async (vmName: string): Promise<void> => {
    t.sandbox.control.takeVm({ vm: vmName }, "alice");
    advance(TEST_TIMINGS.vmBootMs);
  };

  beforeAll(async () => {
    t = await startManualSandbox();
    t.sandbox.control.seed({ clusters: [{ name: "Other", dataCenter: "Default" }], hosts: [{ id: "a1b2c3d4-0000-4000-8000-0000000a5077", name: "other-host", cluster: "Other" }] });
  });
  afterAll(async () => t?.close());

  it("a pool PUT's vm element is ignored: no existing VM changes and a grow does not take it (UpdateParametersProvider maps the stored pool)", async () => {
    const { poolId } = await onePool("put-vm-ignored", { memory: 2048 * MIB, memory_policy: { guaranteed: 1024 * MIB } });
    const res = await putPool(poolId, { size: 2, vm: { memory: 8192 * MIB, high_availability: { enabled: true }, time_zone: { name: "Asia/Tokyo" } } });
    expect(res.status, res.text).toBe(200);
    const vms = await settingsOf(t, "put-vm-ignored");
    expect(vms.map((v) => [v.name, v.memory, v.high_availability.enabled, v.time_zone])).toEqual([
      ["put-vm-ignored-1", 2048 * MIB, false, { name: "Etc/GMT" }],
      ["put-vm-ignored-2", 2048 * MIB, false, { name: "Etc/GMT" }],
    ]);
  });

  it("a grow copies the create-time overrides, initialization included, from an existing pool VM (GetVmDataByPoolId, vm.setStaticData)", async () => {
    const init = { host_name: "kiosk", authorized_ssh_keys: "ssh-ed25519 AAAA k" };
    const { poolId } = await onePool("grow-copies", { cpu: { topology: { sockets: 2, cores: 2, threads: 1 } }, initialization: init, placement_policy: { affinity: "pinned", hosts: { host: [{ id: DEFAULT_SEED_IDS.host }] } } });
    expect((await putPool(poolId, { size: 3 })).status).toBe(200);
    const vms = await settingsOf(t, "grow-copies");
    expect(vms.map((v) => [v.cpu.topology.sockets, v.initialization, v.placement_policy.affinity, v.placement_policy.hosts?.host.map((h) => h.id)])).toEqual([
      [2, init, "pinned", [DEFAULT_SEED_IDS.host]],
      [2, init, "pinned", [DEFAULT_SEED_IDS.host]],
      [2, init, "pinned", [DEFAULT_SEED_IDS.host]],
    ]);
  });

  it("a grow copies the VM GetVmDataFromPoolByPoolId returns (LIMIT 1, here the oldest), so a PUT /vms/{id} on it reaches new VMs", async () => {
    const { poolId, vm } = await onePool("grow-from-edited", {});
    expect((await putVm(vm.id, { high_availability: { enabled: true, priority: 70 }, migration_downtime: 300 })).status).toBe(200);
    expect((await putPool(poolId, { size: 2 })).status).toBe(200);
    const added = (await byName("grow-from-edited")).get("grow-from-edited-2");
    expect([added?.high_availability, added?.migration_downtime]).toEqual([{ enabled: true, priority: 70 }, 300]);
  });

  it("a grow whose PUT names the template re-derives the new VMs from it: create-time overrides are not copied (VmMapper.map(template, ...))", async () => {
    const { poolId } = await onePool("grow-named-template", { memory: 2048 * MIB, memory_policy: { guaranteed: 1024 * MIB }, time_zone: { name: "Europe/Paris" } });
    expect((await putPool(poolId, { size: 2, template: { id: DEFAULT_SEED_IDS.template } })).status).toBe(200);
    const vms = await byName("grow-named-template");
    expect([vms.get("grow-named-template-1")?.memory, vms.get("grow-named-template-2")?.memory, vms.get("grow-named-template-2")?.time_zone]).toEqual([2048 * MIB, 4096 * MIB, { name: "Etc/GMT" }]);
  });

  it("a template version change re-makes down VMs from the new version: overrides are replaced, migration downtime kept (UpdateVmVersion, VmHandler.copyData of @CopyOnNewVersion fields)", async () => {
    const { poolId, vm } = await onePool("version-change", { memory: 2048 * MIB, memory_policy: { guaranteed: 1024 * MIB }, migration_downtime: 250 });
    expect((await putPool(poolId, { template: { id: DEFAULT_SEED_IDS.templateV2 } })).status).toBe(200);
    const after = await getVm(t, vm.id);
    expect([after.template.id, after.memory, after.migration_downtime, after.next_run_configuration_exists]).toEqual([DEFAULT_SEED_IDS.templateV2, 4096 * MIB, 250, false]);
  });

  it("a template version change reaches a running VM as its next-run configuration, applied when it is down (UpdateVmCommand.updateVmTemplateVersion)", async () => {
    const { poolId, vm } = await onePool("version-running", { memory: 2048 * MIB, memory_policy: { guaranteed: 1024 * MIB } }, { type: "manual" });
    await run("version-running-1");
    expect((await putPool(poolId, { template: { id: DEFAULT_SEED_IDS.templateV2 } })).status).toBe(200);
    const pending = await getVm(t, vm.id);
    expect([pending.template.id, pending.memory, pending.next_run_configuration_exists]).toEqual([DEFAULT_SEED_IDS.template, 2048 * MIB, true]);
    expect((await getVm(t, vm.id, { nextRun: true })).memory).toBe(4096 * MIB);
    expect((await t.api("POST", `/vms/${vm.id}/stop`, { body: {} })).status).toBe(200);
    advance(TEST_TIMINGS.vmStopMs);
    const applied = await getVm(t, vm.id);
    expect([applied.status, applied.template.id, applied.memory, applied.next_run_configuration_exists]).toEqual(["down", DEFAULT_SEED_IDS.templateV2, 4096 * MIB, false]);
  });

  it("in a pool that follows the latest version, a grow takes the version's settings but keeps the copied VM's initialization (GetVmDataByPoolIdQuery isLatestLoad)", async () => {
    const init = { host_name: "latest-kiosk" };
    const { poolId } = await onePool("grow-latest", { memory: 2048 * MIB, memory_policy: { guaranteed: 1024 * MIB }, initialization: init }, { use_latest_template_version: true });
    expect((await putPool(poolId, { size: 2 })).status).toBe(200);
    const added = (await byName("grow-latest")).get("grow-latest-2");
    expect([added?.template.id, added?.memory, added?.initialization]).toEqual([DEFAULT_SEED_IDS.templateV2, 4096 * MIB, init]);
  });

  it("PUT /vms/{id} on a down pool VM changes its settings and the VM stays in its pool (UpdateVmCommand)", async () => {
    const { poolId, vm } = await onePool("vm-edit", {});
    const res = await putVm(vm.id, { cpu: { topology: { sockets: 2, cores: 2, threads: 1 } }, usb: { enabled: true }, time_zone: { name: "Europe/Paris" } });
    expect(res.status, res.text).toBe(200);
    const after = await getVm(t, vm.id);
    expect([after.vm_pool?.id, after.cpu.topology, after.usb, after.time_zone, after.next_run_configuration_exists]).toEqual([poolId, { sockets: 2, cores: 2, threads: 1 }, { enabled: true, type: "native" }, { name: "Europe/Paris" }, false]);
  });

  it("PUT /vms/{id} with soundcard_enabled adds or removes the sound device (BackendVmResource: params.setSoundDeviceEnabled)", async () => {
    const { vm } = await onePool("vm-sound", {});
    expect((await putVm(vm.id, { soundcard_enabled: false })).status).toBe(200);
    expect((await getVm(t, vm.id, { allContent: true })).soundcard_enabled).toBe(false);
  });

  it("PUT /vms/{id} changing initialization of a stateless pool's VM: 409 ACTION_TYPE_CANNOT_CHANGE_INITIAL_RUN_DATA", async () => {
    const { vm } = await onePool("vm-init-stateless", { initialization: { host_name: "a" } });
    expectOperationFailed(await putVm(vm.id, { initialization: { host_name: "b" } }), 409, "[Cannot edit VM. The Initial Run Data cannot be modified for Stateless Pool Virtual Machines.]");
    expect((await getVm(t, vm.id)).initialization).toEqual({ host_name: "a" });
  });

  it("PUT /vms/{id} of any field on a stateless pool's VM with a stored root password: 409, the hidden password never compares equal (VmHandler.updateVmInitFromDB secure, VmInit.equals; inferred)", async () => {
    const { vm } = await onePool("vm-init-password", { initialization: { user_name: "Administrator", root_password: "P4ss!" } }, { template: { name: "win2019-desktop" } });
    expectOperationFailed(await putVm(vm.id, { high_availability: { enabled: true } }), 409, "[Cannot edit VM. The Initial Run Data cannot be modified for Stateless Pool Virtual Machines.]");
  });

  it("PUT /vms/{id} changing initialization of a stateful pool's VM is allowed", async () => {
    const { vm } = await onePool("vm-init-stateful", { initialization: { host_name: "a" } }, { stateful: true });
    expect((await putVm(vm.id, { initialization: { host_name: "b" } })).status).toBe(200);
    expect((await getVm(t, vm.id)).initialization).toEqual({ host_name: "b" });
  });

  it("PUT /vms/{id} moving a down pool VM to another version of its template re-makes it from that version (UpdateVmCommand: pool VMs only, UpdateVmVersion)", async () => {
    const { vm } = await onePool("vm-version", { memory: 2048 * MIB, memory_policy: { guaranteed: 1024 * MIB } });
    expect((await putVm(vm.id, { template: { id: DEFAULT_SEED_IDS.templateV2 } })).status).toBe(200);
    const after = await getVm(t, vm.id);
    expect([after.template.id, after.memory, after.vm_pool?.id !== undefined]).toEqual([DEFAULT_SEED_IDS.templateV2, 4096 * MIB, true]);
  });

  it("PUT /vms/{id} with a template of another chain: 400 ACTION_TYPE_FAILED_TEMPLATE_IS_ON_DIFFERENT_CHAIN; of a missing one: 400 ACTION_TYPE_FAILED_TEMPLATE_DOES_NOT_EXIST", async () => {
    const { vm } = await onePool("vm-version-bad", {});
    expectOperationFailed(await putVm(vm.id, { template: { id: DEFAULT_SEED_IDS.windowsTemplate } }), 400, "[Cannot edit VM. The requested template doesn't belong to the same base template as the original template.]");
    expectOperationFailed(await putVm(vm.id, { template: { id: "a1b2c3d4-0000-4000-8000-00000000beef" } }), 400, "[Cannot edit VM. The relevant Template doesn't exist.]");
  });

  it("PUT /vms/{id} changing the template of a VM outside any pool: 400 ACTION_TYPE_FAILED_TEMPLATE_ID_CANT_BE_CHANGED", async () => {
    const { vm } = await onePool("vm-version-detached", {}, { size: 2 });
    expect((await t.api("POST", `/vms/${vm.id}/detach`, { body: {} })).status).toBe(200);
    expectOperationFailed(await putVm(vm.id, { template: { id: DEFAULT_SEED_IDS.templateV2 } }), 400, "[Cannot edit VM. The Template can be changed for pool VMs only.]");
  });

  it("PUT /vms/{id} pins to hosts given by name, resolved to ids by the REST layer (BackendVmsResource.validateAndUpdateHostsInPlacementPolicy)", async () => {
    const { vm } = await onePool("vm-pin-by-name", {});
    expect((await putVm(vm.id, { placement_policy: { hosts: { host: [{ name: "host2" }] } } })).status).toBe(200);
    expect((await getVm(t, vm.id)).placement_policy.hosts?.host.map((h) => h.id)).toEqual([DEFAULT_SEED_IDS.host2]);
  });

  it("PUT /vms/{id} pinning to an unknown host name: 404 Entity not found (AbstractBackendResource.getHostId)", async () => {
    const { vm } = await onePool("vm-pin-unknown", {});
    const res = await putVm(vm.id, { placement_policy: { hosts: { host: [{ name: "no-such-host" }] } } });
    expect({ status: res.status, body: res.json }).toEqual({ status: 404, body: { reason: "Operation Failed", detail: "Entity not found: no-such-host" } });
  });

  it("PUT /vms/{id} pinning to a host of another cluster: 409 (UpdateVmCommand.isDedicatedVdsExistOnSameCluster)", async () => {
    const { vm } = await onePool("vm-pin-other", {});
    expectOperationFailed(
      await putVm(vm.id, { placement_policy: { hosts: { host: [{ id: "a1b2c3d4-0000-4000-8000-0000000a5077" }] } } }),
      409,
      "[Cannot edit VM. VM is pinned to a specific host. The host's cluster must be the same as the selected VM cluster.]",
    );
  });

  it("PUT /vms/{id} with guaranteed memory above memory: 400 (UpdateVmCommand.validate)", async () => {
    const { vm } = await onePool("vm-mem", {});
    expectOperationFailed(await putVm(vm.id, { memory_policy: { guaranteed: 8192 * MIB } }), 400, "[Cannot edit VM. Physical Memory Guaranteed cannot exceed Memory Size.]");
  });

  it("on a running pool VM a change to a field editable only when down waits for the next run (VmBase @EditableVmField(onStatuses = Down))", async () => {
    const { vm } = await onePool("run-tz", {}, { type: "manual" });
    await run("run-tz-1");
    expect((await putVm(vm.id, { time_zone: { name: "Asia/Tokyo" }, cpu: { mode: "host_passthrough" } })).status).toBe(200);
    const now = await getVm(t, vm.id);
    expect([now.status, now.time_zone, now.cpu.mode, now.next_run_configuration_exists]).toEqual(["up", { name: "Etc/GMT" }, undefined, true]);
    const next = await getVm(t, vm.id, { nextRun: true });
    expect([next.time_zone, next.cpu.mode]).toEqual([{ name: "Asia/Tokyo" }, "host_passthrough"]);
    await t.api("POST", `/vms/${vm.id}/stop`, { body: {} });
    advance(TEST_TIMINGS.vmStopMs);
    const applied = await getVm(t, vm.id);
    expect([applied.time_zone, applied.cpu.mode, applied.next_run_configuration_exists]).toEqual([{ name: "Asia/Tokyo" }, "host_passthrough", false]);
  });

  it("on a running pool VM high availability, migration mode and downtime apply at once (@EditableVmField without onStatuses)", async () => {
    const { vm } = await onePool("run-ha", {}, { type: "manual" });
    await run("run-ha-1");
    expect((await putVm(vm.id, { high_availability: { enabled: true }, placement_policy: { affinity: "user_migratable" }, migration_downtime: 100 })).status).toBe(200);
    const now = await getVm(t, vm.id);
    expect([now.high_availability.enabled, now.placement_policy.affinity, now.migration_downtime, now.next_run_configuration_exists]).toEqual([true, "user_migratable", 100, false]);
  });

  it("on a running pool VM memory grown by a multiple of 256 MiB is hot-plugged; any other change waits for the next run (UpdateVmCommand.memoryNextRunSnapshotRequired)", async () => {
    const { vm } = await onePool("run-mem", {}, { type: "manual" });
    await run("run-mem-1");
    expect((await putVm(vm.id, { memory: 4352 * MIB })).status).toBe(200);
    const hot = await getVm(t, vm.id);
    expect([hot.memory, hot.next_run_configuration_exists]).toEqual([4352 * MIB, false]);
    expect((await putVm(vm.id, { memory: 4400 * MIB })).status).toBe(200);
    const later = await getVm(t, vm.id);
    expect([later.memory, later.next_run_configuration_exists, (await getVm(t, vm.id, { nextRun: true })).memory]).toEqual([4352 * MIB, true, 4400 * MIB]);
  });
});
