/**
 * Rules for a `PoolPermission` on VM-Operator, where it becomes one entry
 * of the VmPool's `spec.permissions`: a `user` (a `PoolPermission` user) or
 * a `role` (a `PoolPermission` group: VM-Operator's roles group its GUI
 * users), and what they `may` do.
 */
import type { RuleIssue } from "./kubevirt-rules";

/** What a VmPool's permission entry may allow, as its CRD's enum has it (`takeConsole` exists for single VMs only). */
export const VMOPERATOR_POOL_MAY = ["start", "stop", "reset", "accessConsole", "*"] as const;

/** The roles a pool permission can carry on VM-Operator, and the `may` each means when `may` is not given. */
export const VMOPERATOR_ROLE_MAY: Readonly<Record<string, readonly string[]>> = {
  UserRole: ["accessConsole", "start"],
  VmPoolAdmin: ["*"],
};

/**
 * The `may` a permission writes: as given, else the role's. Example:
 * `{ role: "UserRole" }` -> `["accessConsole", "start"]`.
 */
export function calculateVmoperatorMay(inputs: { role: string; may?: readonly string[] | undefined }): string[] {
  return [...(inputs.may ?? VMOPERATOR_ROLE_MAY[inputs.role] ?? [])];
}

/**
 * On VM-Operator: a role of {@link VMOPERATOR_ROLE_MAY}, `may` values from
 * the CRD's enum (the API server would refuse others) and none twice.
 * Elsewhere: no `may`, which only VM-Operator has.
 */
export function validateVmoperatorPermission(inputs: { kind: string; role: string; may?: readonly string[] | undefined }): RuleIssue[] {
  if (inputs.kind !== "vmoperator") {
    return inputs.may === undefined ? [] : [{ path: ["may"], value: inputs.may, message: `is for pools on VM-Operator only; on ${inputs.kind} the role says what the permission allows` }];
  }
  const issues: RuleIssue[] = [];
  if (VMOPERATOR_ROLE_MAY[inputs.role] === undefined) {
    issues.push({ path: ["role"], value: inputs.role, message: `must be one of ${Object.keys(VMOPERATOR_ROLE_MAY).join(", ")} on VM-Operator (UserRole may accessConsole and start, VmPoolAdmin may everything; 'may' overrides either)` });
  }
  const seen = new Set<string>();
  (inputs.may ?? []).forEach((value, index) => {
    if (!(VMOPERATOR_POOL_MAY as readonly string[]).includes(value)) {
      issues.push({ path: ["may", index], value, message: `must be one of ${VMOPERATOR_POOL_MAY.map((m) => `'${m}'`).join(", ")}: the VmPool CRD allows nothing else${value === "takeConsole" ? " ('takeConsole' exists on single VMs, not pools)" : ""}` });
    } else if (seen.has(value)) {
      issues.push({ path: ["may", index], value, message: "is listed twice" });
    }
    seen.add(value);
  });
  if (inputs.may?.length === 0) {
    issues.push({ path: ["may"], value: inputs.may, message: "must allow something; to take a permission away, remove the PoolPermission" });
  }
  return issues;
}
