/**
 * Every rule of the pack that reads a pool or permission, applied to pools on
 * VM-Operator: the ones whose wording or logic depends on the backend kind
 * say the VM-Operator thing, and the backend-neutral ones count these pools
 * as any other.
 */
import { describe, expect, it } from "vitest";

import { poolHasUserPermission } from "../../../policies/rules/pool-has-user-permission";
import { poolPermissionNoAdminToEveryone } from "../../../policies/rules/pool-permission-no-admin-to-everyone";
import { totalPrestartedVmsBudget } from "../../../policies/rules/total-prestarted-vms-budget";
import { totalVmsBudget } from "../../../policies/rules/total-vms-budget";
import { uniquePoolNames } from "../../../policies/rules/unique-pool-names";
import { vmPoolDeleteProtection } from "../../../policies/rules/vm-pool-delete-protection";
import { vmPoolMaxSize } from "../../../policies/rules/vm-pool-max-size";
import { vmPoolMaxVmsPerUser } from "../../../policies/rules/vm-pool-max-vms-per-user";
import { vmPoolNames } from "../../../policies/rules/vm-pool-names";
import { vmPoolPrestartedWithinSize } from "../../../policies/rules/vm-pool-prestarted-within-size";
import { vmPoolSpiceProxy } from "../../../policies/rules/vm-pool-spice-proxy";
import { vmPoolTrustedPlacement } from "../../../policies/rules/vm-pool-trusted-placement";
import { kubevirtPoolProps, permissionProps, runResourcePolicy, runStackPolicy, TYPES, vmoperatorPoolProps } from "../../harness/policy-harness";

const pool = vmoperatorPoolProps;

describe("the policy pack on VM-Operator pools", () => {
  it("vm-pool-names: a VmPool name is a DNS-1123 label, with no oVirt '?' mask", async () => {
    expect((await runResourcePolicy(vmPoolNames, { props: pool() })).violations).toEqual([]);
    expect((await runResourcePolicy(vmPoolNames, { props: pool({ name: "desks-??" }) })).violations).toEqual([
      `'name' must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-' (the VmPool's name, written into each member VM's spec.pools) (got "desks-??")`,
    ]);
  });

  it("unique-pool-names: one name per VM-Operator namespace, apart from KubeVirt pools of the same name", async () => {
    const resources = [
      { name: "a", props: pool() },
      { name: "b", props: pool() },
      { name: "c", props: pool({}, { namespace: "other" }) },
      { name: "d", props: kubevirtPoolProps({ name: "desks", backend: { ...(kubevirtPoolProps().backend as object), namespace: "vdi" } }) },
    ];
    expect(await runStackPolicy(uniquePoolNames, resources)).toEqual([
      { resource: "b", message: "Pool name 'desks' must be unique in VM-Operator namespace 'vdi' (default connection): resources 'a' and 'b' both use it" },
    ]);
  });

  it("vm-pool-delete-protection: asks for the 'protect' option, since VmPools have no deleteProtection", async () => {
    const names = Array.from({ length: 51 }, (_, i) => `desk-${i}`);
    expect((await runResourcePolicy(vmPoolDeleteProtection, { props: pool({ size: 51 }, { vms: names }) })).violations).toEqual([
      "A pool of more than 50 VMs must be protected from deletion: set the 'protect' resource option (VM-Operator pools have no 'deleteProtection') (got 51 VMs, unprotected)",
    ]);
    expect((await runResourcePolicy(vmPoolDeleteProtection, { props: pool({ size: 51 }, { vms: names }), protect: true })).violations).toEqual([]);
  });

  it("vm-pool-trusted-placement: a pool that needs trusted hosts cannot be a VM-Operator pool", async () => {
    expect((await runResourcePolicy(vmPoolTrustedPlacement, { name: "exam", props: pool({ name: "exam" }) }, { pools: ["exam*"] })).violations).toEqual([
      "This pool needs trusted hosts (marked by 'exam*' in 'pools'), but a VM-Operator pool cannot be placed in a TrustedCluster: its VMs exist on their own and run where their own definitions say; keep such pools on oVirt or KubeVirt",
    ]);
    expect((await runResourcePolicy(vmPoolTrustedPlacement, { props: pool() }, { pools: ["exam*"] })).violations).toEqual([]);
  });

  it("vm-pool-max-size, vm-pool-prestarted-within-size, vm-pool-max-vms-per-user, vm-pool-spice-proxy: judged as on any backend", async () => {
    expect((await runResourcePolicy(vmPoolMaxSize, { props: pool({ size: 3 }) }, { maxVmsInPool: 2 })).violations).toEqual([
      "'size' must be at most 2 VMs per pool, the engine's MaxVmsInPool (got 3); split the pool or raise 'maxVmsInPool' in the policy config",
    ]);
    expect((await runResourcePolicy(vmPoolPrestartedWithinSize, { props: pool({ prestarted: 3 }) })).violations).toHaveLength(1);
    expect((await runResourcePolicy(vmPoolPrestartedWithinSize, { props: pool() })).violations).toEqual([]);
    expect((await runResourcePolicy(vmPoolMaxVmsPerUser, { props: pool() })).violations).toEqual([]);
    expect((await runResourcePolicy(vmPoolSpiceProxy, { props: pool() })).violations).toEqual([]);
  });

  it("total-vms-budget and total-prestarted-vms-budget: VM-Operator members count like any pool's VMs", async () => {
    const resources = [
      { name: "a", props: pool() },
      { name: "b", props: pool({ name: "other" }) },
    ];
    expect(await runStackPolicy(totalVmsBudget, resources, { maxVms: 3 })).toHaveLength(1);
    expect(await runStackPolicy(totalVmsBudget, resources, { maxVms: 4 })).toEqual([]);
    expect(await runStackPolicy(totalPrestartedVmsBudget, resources, { maxPrestartedVms: 1 })).toHaveLength(1);
    expect(await runStackPolicy(totalPrestartedVmsBudget, resources, { maxPrestartedVms: 2 })).toEqual([]);
  });

  it("pool-has-user-permission: a VM-Operator UserRole permission counts", async () => {
    const vmoperator = { kind: "vmoperator", namespace: "vdi" };
    const resources = [
      { name: "desks", props: pool() },
      { name: "students", type: TYPES.permission, props: permissionProps({ backend: vmoperator }), poolDependency: "desks" },
      { name: "lonely", props: pool({ name: "lonely" }) },
    ];
    expect(await runStackPolicy(poolHasUserPermission, resources)).toEqual([
      { resource: "lonely", message: "A pool must give at least one user or group UserRole through a PoolPermission, or nobody may use it: 'lonely' has none in this stack" },
    ]);
  });

  it("pool-permission-no-admin-to-everyone: VmPoolAdmin, or may '*', for every user is refused", async () => {
    const vmoperator = { kind: "vmoperator", namespace: "vdi" };
    const run = async (props: Record<string, unknown>, config: Record<string, unknown> = {}): Promise<string[]> =>
      (await runResourcePolicy(poolPermissionNoAdminToEveryone, { type: TYPES.permission, props }, config)).violations;
    expect(await run(permissionProps({ backend: vmoperator, role: "VmPoolAdmin", group: "everybody" }), { everyoneGroups: ["everybody"] })).toEqual([
      `'role' must not be an admin role when the group is every user: 'VmPoolAdmin' for 'everybody' lets anyone manage the pool, or more; grant 'everybody' UserRole at most (got "VmPoolAdmin")`,
    ]);
    expect(await run(permissionProps({ backend: vmoperator, role: "UserRole", group: "everybody", may: ["*"] }), { everyoneGroups: ["everybody"] })).toEqual([
      `'may' must not hold '*' when the group is every user: 'everybody' could then do everything with every VM of the pool; list what users need, e.g. ["accessConsole", "start"] (got ["*"])`,
    ]);
    expect(await run(permissionProps({ backend: vmoperator, role: "UserRole", group: "everybody", may: ["accessConsole", "start"] }), { everyoneGroups: ["everybody"] })).toEqual([]);
    expect(await run(permissionProps({ backend: vmoperator, role: "UserRole", group: "staff", may: ["*"] }))).toEqual([]);
  });
});
