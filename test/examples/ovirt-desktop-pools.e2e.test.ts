/**
 * `examples/ovirt-desktop-pools` as users run it, through the plain Pulumi
 * CLI against the engine sandbox: a Windows pool with sysprep and a Linux
 * pool with cloud-init go up with the New Pool window's VM settings; a
 * no-change preview; the credentials absent from `pulumi stack export`; a
 * host setting changed, which preview says reaches only new VMs, naming
 * those that keep the old value; `vmUpdatePolicy: updateFreeVms` updates
 * the free VMs and leaves the running one; destroy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { configureOvirtStack, openExample, type ExampleProject } from "../harness/example-project";
import { startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";
import { createPulumiSandbox, vmpools, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, ovirtSecrets } from "../harness/state-secrets";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;

const SYSPREP_FILE = "<unattend><Credentials><Domain>ad</Domain><Password>Domain-Join-Secret-0815</Password></Credentials><AdministratorPassword><Value>Win-Admin-Secret-4711</Value></AdministratorPassword></unattend>";
const LINUX_PASSWORD = "Linux-Student-Secret-1234";

describe.skipIf(skip)("examples/ovirt-desktop-pools through the plain Pulumi CLI", () => {
  let under: EngineUnderTest;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;

  const store = (): EngineUnderTest["engine"]["control"]["engine"]["store"] => under.engine.control.engine.store;
  const poolVms = (pool: string): { name: string; id: string; status: string }[] => {
    const id = [...store().pools.values()].find((p) => p.name === pool)?.id ?? "";
    return store()
      .poolVms(id)
      .map((vm) => ({ name: vm.name, id: vm.id, status: vm.status }))
      .sort((a, b) => a.name.localeCompare(b.name));
  };
  beforeAll(async () => {
    under = await startEngineWithCaFile();
    sandbox = createPulumiSandbox();
    project = openExample(sandbox, "ovirt-desktop-pools");
  });

  afterAll(async () => {
    await project?.dispose();
    await under?.dispose();
    sandbox?.dispose();
  });

  it("pulumi up creates both pools, each VM with the declared settings and initial run", async () => {
    await project.pulumi(["stack", "init", project.stack]);
    await configureOvirtStack(project, under);
    await project.pulumi(["config", "set", "--secret", "sysprepFile", SYSPREP_FILE]);
    await project.pulumi(["config", "set", "--secret", "linuxPassword", LINUX_PASSWORD]);
    await project.pulumi(["config", "set", "windowsDesks", "2"]);
    await project.pulumi(["config", "set", "linuxDesks", "3"]);
    await project.pulumi(["up", "--yes"]);
    expect(poolVms("win-desk-??").map((vm) => vm.name)).toEqual(["win-desk-01", "win-desk-02"]);
    expect(poolVms("linux-desk-??").map((vm) => vm.name)).toEqual(["linux-desk-01", "linux-desk-02", "linux-desk-03"]);
    for (const vm of poolVms("win-desk-??")) {
      expect(store().vms.get(vm.id)).toMatchObject({ settings: { affinity: "migratable", usbEnabled: true, displayType: "spice", memoryMb: 8192, cores: 4, init: { customScript: SYSPREP_FILE, domain: "ad.example.com" } } });
      expect(store().vms.get(vm.id)?.settings.init?.rootPassword).toBeUndefined();
    }
    for (const vm of poolVms("linux-desk-??")) {
      expect(store().vms.get(vm.id)).toMatchObject({ settings: { affinity: "migratable", displayType: "vnc", memoryMb: 4096, sockets: 2, init: { userName: "student", timezone: "Europe/Berlin" } } });
      expect(store().vms.get(vm.id)?.settings.init?.customScript).toContain(`password: ${LINUX_PASSWORD}`);
    }
    const outputs = await project.outputs();
    expect([outputs["windowsVmsWithOldSettings"], outputs["linuxVmsWithOldSettings"]]).toEqual([[], []]);
  });

  it("pulumi preview --expect-no-changes passes, and the exported state holds neither password nor the sysprep file", async () => {
    await project.pulumi(["preview", "--expect-no-changes"]);
    const secrets = [
      ...ovirtSecrets(under.engine),
      { what: "the Windows administrator password in the sysprep file", value: "Win-Admin-Secret-4711" },
      { what: "the sysprep file's domain password", value: "Domain-Join-Secret-0815" },
      { what: "the Linux student password", value: LINUX_PASSWORD },
    ];
    await expectStateFreeOfSecrets(project, secrets);
  });

  it("a changed host setting: preview names the VMs that keep the old value, and nothing is written", async () => {
    // A student is using linux-desk-01.
    const [busy] = poolVms("linux-desk-??");
    const vm = busy === undefined ? undefined : store().vms.get(busy.id);
    if (vm === undefined) throw new Error("no VM");
    vm.status = "up";
    await project.pulumi(["config", "set", "migrationMode", "none"]);
    under.engine.control.resetRequestCounts();
    const preview = await project.pulumi(["preview"]);
    const text = preview.stdout.replace(/\s+/g, " ");
    expect(text).toContain("VmPool 'linux-desk-??': backend.vm.host.migrationMode changes for VMs created from now on only: 3 existing VMs keep the old value (linux-desk-01, linux-desk-02, linux-desk-03)");
    expect(text).toContain("VmPool 'win-desk-??': backend.vm.host.migrationMode changes for VMs created from now on only: 2 existing VMs keep the old value (win-desk-01, win-desk-02)");
    expect(["POST", "PUT", "DELETE"].map((m) => under.engine.control.countRequests(m, /^\/ovirt-engine\/api\//))).toEqual([0, 0, 0]);
  });

  it("vmUpdatePolicy updateFreeVms: up updates the free, down VMs and leaves the running one, which the outputs name", async () => {
    await project.pulumi(["config", "set", "vmUpdatePolicy", "updateFreeVms"]);
    const preview = await project.pulumi(["preview"]);
    expect(preview.stdout.replace(/\s+/g, " ")).toContain("VmPool 'linux-desk-??': backend.vm.host.migrationMode changes: 'up' updates 2 existing VMs down and free now (linux-desk-02, linux-desk-03), one at a time; 1 keeps the old value while running or in use (linux-desk-01 (up))");
    await project.pulumi(["up", "--yes"]);
    const affinity = (pool: string): string[][] => poolVms(pool).map((vm) => [vm.name, store().vms.get(vm.id)?.settings.affinity ?? ""]);
    expect(affinity("linux-desk-??")).toEqual([
      ["linux-desk-01", "migratable"],
      ["linux-desk-02", "pinned"],
      ["linux-desk-03", "pinned"],
    ]);
    expect(affinity("win-desk-??")).toEqual([
      ["win-desk-01", "pinned"],
      ["win-desk-02", "pinned"],
    ]);
    const outputs = await project.outputs();
    expect([outputs["windowsVmsWithOldSettings"], outputs["linuxVmsWithOldSettings"]]).toEqual([[], ["linux-desk-01"]]);
    const state = await project.exportState();
    const linux = state.resources.find((r) => r.type === vmpools.VM_POOL_TYPE && r.outputs?.["name"] === "linux-desk-??");
    expect((linux?.outputs?.["vms"] as { name: string; staleSettings?: string[] }[]).map((v) => [v.name, v.staleSettings])).toEqual([
      ["linux-desk-01", ["host.migrationMode"]],
      ["linux-desk-02", []],
      ["linux-desk-03", []],
    ]);
  });

  it("pulumi destroy removes both pools and their VMs", async () => {
    const vm = store().vms.get(poolVms("linux-desk-??")[0]?.id ?? "");
    if (vm !== undefined) vm.status = "down";
    await project.pulumi(["destroy", "--yes"]);
    expect([poolVms("win-desk-??"), poolVms("linux-desk-??")]).toEqual([[], []]);
    expect([...store().vms.values()].filter((v) => v.name.includes("-desk-"))).toEqual([]);
  });
});
