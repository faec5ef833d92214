import { describe, expect, it } from "vitest";

import { UNKNOWN } from "../../../provider/check";
import { diffPoolPermission } from "../../../provider/diff/pool-permission-diff";

const ovirt = { role: "UserRole", user: "alice@internal-authz", pool: { name: "lab", uid: "p-1" }, backend: { kind: "ovirt" } };
const stateOf = (inputs: Record<string, unknown>): Record<string, unknown> => ({ ...inputs, uid: "perm-1", principalId: "u-alice" });

describe("diffPoolPermission", () => {
  it("sees no change when only outputs differ from the inputs", () => {
    expect(diffPoolPermission(stateOf(ovirt), ovirt)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["another role", { ...ovirt, role: "VmPoolAdmin" }, ["role"]],
    ["another user", { ...ovirt, user: "bob@internal-authz" }, ["user"]],
    ["a group instead of the user", { role: "UserRole", group: "vdi-users", pool: ovirt.pool, backend: ovirt.backend }, ["user", "group"]],
    ["another pool", { ...ovirt, pool: { name: "lab2", uid: "p-2" } }, ["pool"]],
    ["another connection", { ...ovirt, backend: { kind: "ovirt", connection: "lab2" } }, ["backend"]],
  ])("replaces the permission for %s, creating the new one first (the grants differ)", (_, news, replaces) => {
    expect(diffPoolPermission(stateOf(ovirt), news)).toEqual({ changes: true, replaces, deleteBeforeReplace: false });
  });

  it("replaces the permission of a pool recreated under its name, deleting the old one first", () => {
    expect(diffPoolPermission(stateOf(ovirt), { ...ovirt, pool: { name: "lab", uid: "p-9" } })).toEqual({ changes: true, replaces: ["pool"], deleteBeforeReplace: true });
  });

  it("changes only the pool's size in place (KubeVirt's Role names each VM)", () => {
    const kubevirt = { ...ovirt, pool: { name: "lab", uid: "p-1", size: 2 }, backend: { kind: "kubevirt", namespace: "vdi" } };
    expect(diffPoolPermission(stateOf(kubevirt), { ...kubevirt, pool: { ...kubevirt.pool, size: 3 } })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces on a KubeVirt namespace change", () => {
    const kubevirt = { ...ovirt, backend: { kind: "kubevirt", namespace: "vdi" } };
    expect(diffPoolPermission(stateOf(kubevirt), { ...kubevirt, backend: { kind: "kubevirt", namespace: "lab" } })).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: false });
  });

  it("counts a pool uid unknown during preview as a replacement", () => {
    expect(diffPoolPermission(stateOf(ovirt), { ...ovirt, pool: { name: "lab", uid: UNKNOWN } })).toEqual({ changes: true, replaces: ["pool"], deleteBeforeReplace: true });
  });
});
