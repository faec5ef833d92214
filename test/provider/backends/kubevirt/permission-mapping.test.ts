/**
 * A pool permission as least-privilege RBAC: the exact rules per role and
 * size, deterministic names, the manifests, and reading a live Role back.
 */
import { describe, expect, it } from "vitest";

import {
  calculateCoveredSize,
  hasOnlySubject,
  toPermissionObjectName,
  toPermissionRole,
  toPermissionRoleBinding,
  toPermissionRules,
  toPoolVmNames,
  toPrincipalId,
  toRbacSubject,
  type PermissionTarget,
  type PolicyRuleLike,
} from "../../../../provider/backends/kubevirt/permission-mapping";

const VMS_OF_LAB_2 = ["lab-0", "lab-1"];
const userRules = (names: string[]): unknown[] => [
  { apiGroups: ["kubevirt.io"], resources: ["virtualmachines", "virtualmachineinstances"], resourceNames: names, verbs: ["get", "list", "watch"] },
  { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachines/start", "virtualmachines/stop", "virtualmachines/restart"], resourceNames: names, verbs: ["update"] },
  { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachineinstances/console", "virtualmachineinstances/vnc"], resourceNames: names, verbs: ["get"] },
];
const poolRules = [
  { apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools"], resourceNames: ["lab"], verbs: ["get", "list", "watch", "update", "patch"] },
  { apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools/scale"], resourceNames: ["lab"], verbs: ["get", "update", "patch"] },
];

describe("toPermissionRules", () => {
  it.each([
    // UserRole: the pool's VMs only, by name.
    ["UserRole, size 2: read, start/stop/restart, console and VNC of lab-0 and lab-1", "UserRole", 2, userRules(VMS_OF_LAB_2)],
    ["UserRole, size 1", "UserRole", 1, userRules(["lab-0"])],
    // An empty resourceNames would mean every name: no VM rules at all.
    ["UserRole, size 0: no rule, never an empty resourceNames", "UserRole", 0, []],
    // VmPoolAdmin: the same, plus the pool and its scale subresource.
    ["VmPoolAdmin, size 2: the user rules, the pool and its scale", "VmPoolAdmin", 2, [...userRules(VMS_OF_LAB_2), ...poolRules]],
    ["VmPoolAdmin, size 0: only the pool rules", "VmPoolAdmin", 0, poolRules],
  ] as const)("%s", (_name, role, size, expected) => {
    expect(toPermissionRules(role, "lab", size)).toEqual(expected);
  });

  it("names VMs from index 0, as virt-controller's generateVMName does", () => {
    expect(toPoolVmNames("lab", 3)).toEqual(["lab-0", "lab-1", "lab-2"]);
    expect(toPoolVmNames("lab", 0)).toEqual([]);
  });
});

describe("calculateCoveredSize", () => {
  it.each([
    ["the size the rules were written for", "UserRole", toPermissionRules("UserRole", "lab", 3), 3],
    ["0 for a UserRole with no rules", "UserRole", [], 0],
    ["0 for an admin Role with only the pool rules", "VmPoolAdmin", poolRules, 0],
    ["undefined when a verb was added out of band", "UserRole", [{ ...toPermissionRules("UserRole", "lab", 1)[0], verbs: ["get", "list", "watch", "delete"] }, ...toPermissionRules("UserRole", "lab", 1).slice(1)], undefined],
    ["undefined when another VM was named", "UserRole", userRules(["lab-0", "exam-0"]), undefined],
    ["undefined for admin rules under a UserRole", "UserRole", toPermissionRules("VmPoolAdmin", "lab", 1), undefined],
    ["undefined for a rule without resourceNames (every VM)", "UserRole", [{ apiGroups: ["kubevirt.io"], resources: ["virtualmachines"], verbs: ["get"] }], undefined],
  ] as const)("%s", (_name, role, rules, expected) => {
    expect(calculateCoveredSize(role, "lab", rules as readonly PolicyRuleLike[])).toBe(expected);
  });
});

describe("toPermissionObjectName", () => {
  it.each([
    ["readable for a plain user", "lab", "UserRole", { user: "alice" }, "vmpools-lab-userrole-user-alice"],
    ["readable for a group", "lab", "VmPoolAdmin", { group: "vdi-users" }, "vmpools-lab-vmpooladmin-group-vdi-users"],
    // Rewritten principals get a hash of the exact name: Alice and alice are two users.
    ["hashed when the principal is not a DNS label", "lab", "UserRole", { user: "Alice@Example.com" }, "vmpools-lab-userrole-user-alice-example-com-b67fe9c9"],
    ["hashed differently for another spelling of the same slug", "lab", "UserRole", { user: "alice@example.com" }, "vmpools-lab-userrole-user-alice-example-com-2b5a073c"],
    ["hashed for a group with a colon", "lab", "UserRole", { group: "system:authenticated" }, "vmpools-lab-userrole-group-system-authenticated-f885bab1"],
    ["cut to 63 characters with a hash when long", "a-pool-with-a-rather-long-name", "VmPoolAdmin", { group: "students-of-room-12" }, "vmpools-a-pool-with-a-rather-long-name-vmpooladmin-gro-35843712"],
  ] as const)("%s", (_name, pool, role, principal, expected) => {
    const name = toPermissionObjectName(pool, role, toRbacSubject(principal));
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe("the Role and RoleBinding manifests", () => {
  const target: PermissionTarget = { role: "UserRole", subject: toRbacSubject({ group: "vdi-users" }), namespace: "vdi", pool: { name: "lab", uid: "pool-uid", size: 2 } };
  const owner = { apiVersion: "pool.kubevirt.io/v1beta1", name: "lab", uid: "pool-uid" };
  const metadata = {
    name: "vmpools-lab-userrole-group-vdi-users",
    namespace: "vdi",
    labels: { "app.kubernetes.io/managed-by": "pulumi-vmpools", "vmpools.pulumi.com/pool": "lab" },
    annotations: { "vmpools.pulumi.com/permission": "UserRole for Group vdi-users on VirtualMachinePool lab", "vmpools.pulumi.com/pool-uid": "pool-uid", "vmpools.pulumi.com/create-id": "c-1" },
    ownerReferences: [{ apiVersion: "pool.kubevirt.io/v1beta1", kind: "VirtualMachinePool", name: "lab", uid: "pool-uid" }],
  };

  it("writes the Role with the pool's VMs and ownership marks", () => {
    expect(toPermissionRole(target, owner, "c-1")).toEqual({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata, rules: userRules(VMS_OF_LAB_2) });
  });

  it("binds the group to the Role of the same name", () => {
    expect(toPermissionRoleBinding(target, owner, "c-1")).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "vmpools-lab-userrole-group-vdi-users" },
      subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "vdi-users" }],
    });
  });
});

describe("subjects", () => {
  const alice = toRbacSubject({ user: "alice" });
  it.each([
    ["exactly the user", [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" }], true],
    ["the user without apiGroup (the API server's default)", [{ kind: "User", name: "alice" }], true],
    ["not a second subject slipped in", [{ kind: "User", name: "alice" }, { kind: "User", name: "mallory" }], false],
    ["not another user", [{ kind: "User", name: "mallory" }], false],
    ["not a group of the same name", [{ kind: "Group", name: "alice" }], false],
    ["not no subjects", undefined, false],
  ] as const)("a binding grants to %s", (_name, subjects, expected) => {
    expect(hasOnlySubject(subjects, alice)).toBe(expected);
  });

  it("names principals by kind", () => {
    expect(toPrincipalId(toRbacSubject({ user: "alice" }))).toBe("User:alice");
    expect(toPrincipalId(toRbacSubject({ group: "vdi-users" }))).toBe("Group:vdi-users");
  });
});
