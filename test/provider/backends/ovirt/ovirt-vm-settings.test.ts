/**
 * `backend.vm` of oVirt pools through the provider's methods against the
 * engine sandbox: each setting reaches the pool's VMs as the engine renders
 * them, the cross-field checks refuse with nothing sent, credentials stay
 * out of outputs, and an edit leaves existing VMs alone and says so in
 * preview, unless `vmUpdatePolicy: "updateFreeVms"` updates the free ones.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { isSecretHash } from "../../../../provider/secret-hash";
import { toProviderSettings, type ProviderSettings } from "../../../../provider/config/settings";
import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { DEFAULT_SEED_IDS } from "../../../../sandbox/ovirt-engine/seed";
import { ovirtStackConfig } from "../../../harness/ovirt-engine";
import { startOvirtFixture, type OvirtFixture } from "./ovirt-engine-fixture";

type Props = Record<string, unknown>;
const GIB = 1_073_741_824;

describe("backend.vm of oVirt pools against the engine sandbox", () => {
  let f: OvirtFixture;
  let provider: VmPoolProvider;
  let notices: string[];

  beforeAll(async () => {
    f = await startOvirtFixture();
    const config = ovirtStackConfig(f.under);
    const settings: ProviderSettings = toProviderSettings((key) => config[`vmpools:${key}`]?.value, {});
    provider = new VmPoolProvider(
      () => settings,
      async (messages) => {
        notices.push(...messages);
      },
    );
  });
  afterAll(async () => f?.dispose());
  beforeEach(() => {
    notices = [];
    f.sandbox.control.resetRequestCounts();
  });

  const pool = (name: string, vm: Props, extra: Props = {}, backend: Props = {}): Props => ({ name, size: 2, ...extra, backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop", vm, ...backend } });

  /** check() then create(), as `pulumi up` runs them. */
  async function up(news: Props): Promise<{ id: string; outs: Props }> {
    const checked = await provider.check({}, news);
    expect(checked.failures).toEqual([]);
    const created = await provider.create(checked.inputs ?? {});
    return { id: created.id, outs: created.outs ?? {} };
  }

  /** The engine's JSON of each VM of a pool, as a client reads it. */
  async function engineVms(poolName: string): Promise<Props[]> {
    const answer = await f.client.call({ backend: "ovirt", operation: "test", resource: poolName }, "GET", "/vms", { query: { search: `pool=${poolName}`, all_content: "true" }, idempotent: true });
    return ((answer.body as { vm?: Props[] }).vm ?? []).sort((a, b) => String(a["name"]).localeCompare(String(b["name"])));
  }

  it("gives every VM the host settings", async () => {
    const { outs } = await up(pool("hosts-?", { host: { startOn: ["host2"], migrationMode: "none", passThroughHostCpu: true, migrationDowntimeMs: 300, autoConverge: "on", compression: "off", migrationPolicy: "80554327-0569-496b-bdeb-fcbbf52b827b" } }));
    for (const vm of await engineVms("hosts-?")) {
      expect(vm).toMatchObject({
        placement_policy: { affinity: "pinned", hosts: { host: [{ id: DEFAULT_SEED_IDS.host2 }] } },
        cpu: { mode: "host_passthrough" },
        migration_downtime: 300,
        migration: { auto_converge: "true", compressed: "false", policy: { id: "80554327-0569-496b-bdeb-fcbbf52b827b" } },
      });
    }
    expect(outs["vmsWithOldSettings"]).toEqual([]);
    expect((outs["vms"] as { staleSettings?: string[] }[]).map((vm) => vm.staleSettings)).toEqual([[], []]);
  });

  it("starts on any host and migrates manually", async () => {
    await up(pool("any-?", { host: { startOn: "any", migrationMode: "manual" } }));
    for (const vm of await engineVms("any-?")) {
      expect(vm["placement_policy"]).toEqual({ affinity: "user_migratable" });
    }
  });

  it("gives every VM the resources and console settings, USB included (the create ignores it; the provider writes it after)", async () => {
    const { outs } = await up(
      pool("res-?", { resources: { memoryMiB: 4096, guaranteedMemoryMiB: 2048, maxMemoryMiB: 8192, cpuSockets: 2, cpuCores: 2 }, highAvailability: true, sso: false, smartcard: true, soundcard: false, usb: true, console: "vnc", timeZone: "Etc/GMT" }),
    );
    for (const vm of await engineVms("res-?")) {
      expect(vm).toMatchObject({
        memory: 4 * GIB,
        memory_policy: { guaranteed: 2 * GIB, max: 8 * GIB },
        cpu: { topology: { sockets: 2, cores: 2 } },
        high_availability: { enabled: true },
        display: { type: "vnc", smartcard_enabled: true },
        usb: { enabled: true },
        soundcard_enabled: false,
        time_zone: { name: "Etc/GMT" },
      });
      expect((vm["sso"] as { methods?: { method?: unknown[] } }).methods?.method ?? []).toEqual([]);
    }
    expect(outs["vmsWithOldSettings"]).toEqual([]);
  });

  it("refuses pass-through without migration disabled, and NUMA preferred without one node, sending nothing", async () => {
    const checked = await provider.check({}, pool("bad-?", { host: { passThroughHostCpu: true, migrationMode: "automatic", numaTuneMode: "preferred", numaNodes: 2 } }));
    expect(checked.failures).toEqual([
      { property: "backend.vm.host.passThroughHostCpu", reason: `needs 'backend.vm.host.migrationMode: "none"' (got 'automatic'): a VM with the host's CPU passed through cannot migrate (got true)` },
      { property: "backend.vm.host.numaTuneMode", reason: `'preferred' needs exactly one NUMA node: set 'backend.vm.host.numaNodes' to 1 (got 2), or use 'strict' or 'interleave' (got "preferred")` },
      {
        property: "backend.vm.host.numaNodes",
        reason: "cannot be applied to pool VMs through the engine's REST API (a pool's VMs get no NUMA nodes, and the tune mode only tunes existing nodes); give the template the NUMA nodes instead (got 2)",
      },
    ]);
    expect(f.countApi()).toBe(0);
  });

  it("refuses sysprep on a pool whose VM names pass 15 characters, sending nothing", async () => {
    const checked = await provider.check({}, pool("windows-desks-??", { initialRun: { sysprep: { domain: "ad.example.com" } } }, {}, { template: "win2019-desktop" }));
    expect(checked.failures).toEqual([
      {
        property: "name",
        reason: "makes VM names up to 16 characters long ('windows-desks-02' for a pool of 2); a Windows computer name holds 15, and the engine's sysprep cuts longer VM names to 15 at first boot, so VMs would share computer names, so shorten the name (got \"windows-desks-??\")",
      },
    ]);
    expect(f.countApi()).toBe(0);
  });

  it("fails preview for a host outside the cluster, a storage domain or disk profile that does not exist", async () => {
    const hosts = await provider.check({}, pool("ghost-?", { host: { startOn: ["host9"] } }));
    expect(hosts.failures).toEqual([{ property: "backend.vm.host.startOn", reason: "ovirt preview of ghost-? failed: names host 'host9' that is not in the pool's cluster; it has 'host1', 'host2'" }]);
    const storage = await provider.check({}, pool("ghost-?", { resources: { storageDomain: "data9" } }));
    expect(storage.failures).toEqual([{ property: "backend.vm.resources.storageDomain", reason: "storage domain 'data9' does not exist on the engine; it has 'data1', 'data2'" }]);
    const profile = await provider.check({}, pool("ghost-?", { resources: { storageDomain: "data1", diskProfile: "data2" } }));
    expect(profile.failures).toEqual([{ property: "backend.vm.resources.diskProfile", reason: "disk profile 'data2' is not a profile of storage domain 'data1'; it has 'data1'" }]);
    expect(f.count("POST", /\/vmpools$/)).toBe(0);
    expect((await provider.check({}, pool("ok-?", { resources: { storageDomain: "data1", diskProfile: "data1" } }))).failures).toEqual([]);
  });

  it("sends cloud-init to the engine and keeps its password only as a hash", async () => {
    const run = { cloudInit: { user: { name: "student", password: "cloud-secret-1" }, sshKeys: ["ssh-ed25519 AAAAC3 lab"], customScript: "#cloud-config\npackages: [git]\n", timeZone: "Europe/Berlin" } };
    const { outs } = await up(pool("linux-?", { initialRun: run }));
    for (const vm of await engineVms("linux-?")) {
      expect(vm["initialization"]).toMatchObject({ user_name: "student", root_password: "******", authorized_ssh_keys: "ssh-ed25519 AAAAC3 lab", custom_script: "#cloud-config\npackages: [git]\n", timezone: "Europe/Berlin" });
    }
    expect(JSON.stringify(outs)).not.toContain("cloud-secret-1");
    const stored = (outs["backend"] as { vm: { initialRun: { cloudInit: { user: { password: string } } } } }).vm.initialRun.cloudInit.user.password;
    expect(isSecretHash(stored)).toBe(true);
    // The same password again is no change; another one replaces the stateless pool.
    expect(await provider.diff("", outs, (await provider.check({}, pool("linux-?", { initialRun: run }))).inputs ?? {})).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const other = { cloudInit: { ...run.cloudInit, user: { name: "student", password: "cloud-secret-2" } } };
    expect(await provider.diff("", outs, (await provider.check({}, pool("linux-?", { initialRun: other }))).inputs ?? {})).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: true });
  });

  it("sends sysprep to the engine and keeps the administrator password and answer file only as hashes", async () => {
    const file = "<unattend><Credentials><Password>domain-secret-9</Password></Credentials></unattend>";
    const { outs } = await up(pool("win-?", { initialRun: { sysprep: { customFile: file, domain: "ad.example.com", adminUser: "Administrator", adminPassword: "admin-secret-7" } } }, {}, { template: "win2019-desktop" }));
    for (const vm of await engineVms("win-?")) {
      expect(vm["initialization"]).toMatchObject({ custom_script: file, domain: "ad.example.com", user_name: "Administrator", root_password: "******" });
    }
    const text = JSON.stringify(outs);
    expect([text.includes("admin-secret-7"), text.includes("domain-secret-9")]).toEqual([false, false]);
  });

  it("leaves existing VMs alone on a VM-setting change, and says so in preview and outputs", async () => {
    const before = pool("edit-?", { host: { migrationMode: "automatic" } }, { size: 3 });
    const { id, outs } = await up(before);
    const store = f.sandbox.control.engine.store;
    const [first] = store.poolVms(id);
    if (first === undefined) throw new Error("no VM");
    first.status = "up";
    const after = pool("edit-?", { host: { migrationMode: "none" } }, { size: 4 });
    const checked = await provider.check((await provider.check({}, before)).inputs ?? {}, after);
    expect(checked.failures).toEqual([]);
    expect(notices).toEqual([
      `VmPool 'edit-?': backend.vm.host.migrationMode changes for VMs created from now on only: 3 existing VMs keep the old value (edit-1, edit-2, edit-3), as the engine gives pool VMs their settings only when it creates them (a pool edit over its REST API does not reach existing VMs); set 'backend.vmUpdatePolicy: "updateFreeVms"' to update the 2 down and free now`,
    ]);
    expect(f.count("PUT", /./)).toBe(0);
    const updated = await provider.update(id, outs, checked.inputs ?? {});
    const affinity = (await engineVms("edit-?")).map((vm) => [vm["name"], (vm["placement_policy"] as { affinity: string }).affinity]);
    expect(affinity).toEqual([
      ["edit-1", "migratable"],
      ["edit-2", "migratable"],
      ["edit-3", "migratable"],
      ["edit-4", "pinned"],
    ]);
    expect(updated.outs?.["vmsWithOldSettings"]).toEqual(["edit-1", "edit-2", "edit-3"]);
  });

  it("updates only the down, free VMs with vmUpdatePolicy updateFreeVms, and reports those left behind", async () => {
    const before = pool("upd-?", { console: "spice" }, { size: 3 });
    const { id, outs } = await up(before);
    const [first] = f.sandbox.control.engine.store.poolVms(id);
    if (first === undefined) throw new Error("no VM");
    first.status = "up";
    const after = pool("upd-?", { console: "vnc" }, { size: 3 }, { vmUpdatePolicy: "updateFreeVms" });
    const checked = await provider.check((await provider.check({}, before)).inputs ?? {}, after);
    expect(notices).toEqual([
      "VmPool 'upd-?': backend.vm.console changes: 'up' updates 2 existing VMs down and free now (upd-2, upd-3), one at a time; 1 keeps the old value while running or in use (upd-1 (up)), as the engine gives pool VMs their settings only when it creates them (a pool edit over its REST API does not reach existing VMs); VMs created from now on get it",
    ]);
    f.sandbox.control.resetRequestCounts();
    const updated = await provider.update(id, outs, checked.inputs ?? {});
    expect(f.count("PUT", /^\/vms\//)).toBe(2);
    const types = (await engineVms("upd-?")).map((vm) => [vm["name"], (vm["display"] as { type: string }).type]);
    expect(types).toEqual([
      ["upd-1", "spice"],
      ["upd-2", "vnc"],
      ["upd-3", "vnc"],
    ]);
    expect(updated.outs?.["vmsWithOldSettings"]).toEqual(["upd-1"]);
    // Refresh reports each VM's settings as the engine has them: upd-1 changed in the portal meanwhile.
    const vm1 = f.sandbox.control.engine.store.poolVms(id).find((vm) => vm.name === "upd-1");
    if (vm1 === undefined) throw new Error("no upd-1");
    vm1.settings.displayType = "vnc";
    const read = await provider.read(id, updated.outs ?? {});
    expect(read.props?.["vmsWithOldSettings"]).toEqual([]);
    expect((read.props?.["vms"] as { name: string; staleSettings: string[] }[]).map((vm) => [vm.name, vm.staleSettings])).toEqual([
      ["upd-1", []],
      ["upd-2", []],
      ["upd-3", []],
    ]);
  });

  it("replaces a stateless pool whose initial run stores a password on any VM-setting change, and says why in preview", async () => {
    const run = { cloudInit: { user: { name: "student", password: "frozen-secret-3" } } };
    const before = pool("frozen-?", { initialRun: run, host: { migrationMode: "automatic" } });
    const { id, outs } = await up(before);
    // The engine indeed refuses to edit such a VM.
    const [vm] = f.sandbox.control.engine.store.poolVms(id);
    await expect(f.client.call({ backend: "ovirt", operation: "test", resource: "frozen-?" }, "PUT", `/vms/${vm?.id ?? ""}`, { body: { placement_policy: { affinity: "pinned" } }, idempotent: true })).rejects.toThrow(
      "The Initial Run Data cannot be modified for Stateless Pool Virtual Machines.",
    );
    const after = pool("frozen-?", { initialRun: run, host: { migrationMode: "none" } });
    const checked = await provider.check((await provider.check({}, before)).inputs ?? {}, after);
    expect(notices).toEqual([
      "VmPool 'frozen-?': backend.vm.host.migrationMode changes by replacing the pool: its initial run stores a password, and the engine refuses every edit of such a stateless pool's VMs, while a grow copies an existing VM; put the password in 'sysprep.customFile' or 'cloudInit.customScript' to keep VMs editable",
    ]);
    expect(await provider.diff(id, outs, checked.inputs ?? {})).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: true });
  });

  it("refuses USB on a stateless pool whose initial run stores a password, sending nothing", async () => {
    const checked = await provider.check({}, pool("usb-?", { usb: true, initialRun: { sysprep: { adminPassword: "usb-secret-5" } } }, {}, { template: "win2019-desktop" }));
    expect((checked.failures ?? []).map((x) => x.property)).toEqual(["backend.vm.usb"]);
    expect(f.countApi()).toBe(0);
  });

  it("reports VMs whose disks the engine put elsewhere than the declared storage domain (it places them where the template's disks are)", async () => {
    // rhel9-desktop's disk is on data1 only.
    const onData1 = await up(pool("store1-?", { resources: { storageDomain: "data1", diskProfile: "data1" } }));
    expect(onData1.outs["vmsWithOldSettings"]).toEqual([]);
    const onData2 = await up(pool("store2-?", { resources: { storageDomain: "data2" } }));
    expect((onData2.outs["vms"] as { name: string; staleSettings: string[] }[]).map((vm) => [vm.name, vm.staleSettings])).toEqual([
      ["store2-1", ["resources.storageDomain"]],
      ["store2-2", ["resources.storageDomain"]],
    ]);
    expect(onData2.outs["vmsWithOldSettings"]).toEqual(["store2-1", "store2-2"]);
  });

  it("a template version change: preview says the VMs fall back to the template's settings, and updateFreeVms writes them back to the free ones", async () => {
    const before = pool("ver-?", { console: "vnc" }, { size: 2 }, { templateVersion: 1 });
    const { id, outs } = await up(before);
    const after = pool("ver-?", { console: "vnc" }, { size: 2 }, { templateVersion: 2, vmUpdatePolicy: "updateFreeVms" });
    const checked = await provider.check((await provider.check({}, before)).inputs ?? {}, after);
    expect(notices).toEqual([
      "VmPool 'ver-?': backend.templateVersion changes: the engine moves every pool VM to the new template version (a VM down at once, a running one at its next run) and re-creates it from that template, so its backend.vm settings fall back to the template's; 'up' then writes them to the VMs down and free, and outputs name the others",
    ]);
    const updated = await provider.update(id, outs, checked.inputs ?? {});
    const vms = f.sandbox.control.engine.store.poolVms(id);
    expect(vms.map((vm) => [vm.templateId, vm.settings.displayType])).toEqual([
      [DEFAULT_SEED_IDS.templateV2, "vnc"],
      [DEFAULT_SEED_IDS.templateV2, "vnc"],
    ]);
    expect(updated.outs?.["vmsWithOldSettings"]).toEqual([]);
  });

  it("a template version change with newVmsOnly leaves the VMs with the template's settings, and the outputs name them", async () => {
    const before = pool("ver2-?", { console: "vnc" }, { size: 2 }, { templateVersion: 1 });
    const { id, outs } = await up(before);
    const after = pool("ver2-?", { console: "vnc" }, { size: 2 }, { templateVersion: 2 });
    const checked = await provider.check((await provider.check({}, before)).inputs ?? {}, after);
    const updated = await provider.update(id, outs, checked.inputs ?? {});
    expect(f.sandbox.control.engine.store.poolVms(id).map((vm) => vm.settings.displayType)).toEqual(["spice", "spice"]);
    expect(updated.outs?.["vmsWithOldSettings"]).toEqual(["ver2-1", "ver2-2"]);
  });
});
