/**
 * The VM-Operator part of a pool (mnlipp/VM-Operator, `vmoperator.jdrupes.org/v1`):
 * the `VmPool` object's settings and which existing `VirtualMachine`s are
 * its members. VM-Operator pools do not create VMs: a VM belongs to a pool
 * when the pool's name is in its `spec.pools`.
 */
import { z } from "zod";

import { isUnknown } from "../check";
import { DNS_LABEL, labelKeySchema, labelValueSchema, namespaceSchema } from "./kubernetes-names";
import type { RuleIssue } from "./kubevirt-rules";
import { DEFAULT_VMOPERATOR_RETENTION, explainVmoperatorRetention } from "./vmoperator-retention";

/** Namespace used when `backend.namespace` is not given. */
export const DEFAULT_VMOPERATOR_NAMESPACE = "default";

/** A VM's name: VM-Operator names its runner pods and services after it, so a DNS-1123 label. */
const vmNameSchema = z.string().regex(DNS_LABEL, "must be a VM name (a DNS-1123 label)").max(63, "must be at most 63 characters");

/** The VM-Operator backend options of a pool. */
export const vmoperatorBackendSchema = z.strictObject({
  /** Discriminator. */
  kind: z.literal("vmoperator"),
  /** A named connection from `vmpools:connections`; the default connection when absent. */
  connection: z.string().min(1).optional(),
  /** Namespace of the `VmPool` and of its VMs. @default "default" */
  namespace: namespaceSchema.default(DEFAULT_VMOPERATOR_NAMESPACE),
  /**
   * How long a VM stays assigned to its user: an ISO 8601 duration counted
   * from the last console use (`PT4H`, `P1DT12H`; days, hours, minutes and
   * seconds only) or an instant when every assignment ends
   * (`2026-12-24T18:00:00Z`). @default "PT1h"
   */
  retention: z.string().default(DEFAULT_VMOPERATOR_RETENTION),
  /** Log the user into the guest on assignment (needs VM-Operator's agent in the guest). @default false */
  loginOnAssignment: z.boolean().default(false),
  /**
   * The member VMs by name, in the pool's namespace; `size` must equal
   * their number. Exactly one of `vms` and `selector`.
   */
  vms: z.array(vmNameSchema).optional(),
  /**
   * The member VMs by label: `size` of the VMs whose labels include all of
   * these (the pool's current members first, then by name). Exactly one of
   * `vms` and `selector`.
   */
  selector: z.strictObject({ matchLabels: z.record(labelKeySchema, labelValueSchema) }).optional(),
});

/** The VM-Operator backend options after defaults. */
export type VmoperatorBackendInputs = z.infer<typeof vmoperatorBackendSchema>;

/** The pool-wide settings VM-Operator has no equivalent for, with the value that means "not used". */
const VMOPERATOR_UNSUPPORTED = [
  ["maxVmsPerUser", 1, "VM-Operator assigns one VM of a pool per user"],
  ["type", "automatic", "an assignment ends by its retention, there is no manual pool"],
  ["stateful", false, "VMs keep their disks as their own definitions say"],
  ["deleteProtection", false, "use a Pulumi 'protect' resource option instead"],
  ["description", "", "a VmPool has no description"],
  ["comment", "", "a VmPool has no comment"],
] as const;

/** A VmPool's name: a Kubernetes object name, written into each member VM's `spec.pools`; this project asks for a DNS-1123 label. */
export function validateVmoperatorPoolName(name: string): RuleIssue[] {
  if (DNS_LABEL.test(name) && name.length <= 63) {
    return [];
  }
  return [{ path: ["name"], value: name, message: "must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-' (the VmPool's name, written into each member VM's spec.pools)" }];
}

/** Rejects common settings that would be silently meaningless on VM-Operator. */
export function validateVmoperatorUnsupported(inputs: Record<string, unknown>): RuleIssue[] {
  return VMOPERATOR_UNSUPPORTED.filter(([key, neutral]) => inputs[key] !== neutral).map(([key, neutral, why]) => ({
    path: [key],
    value: inputs[key],
    message: `is not supported on VM-Operator (${why}); leave it unset (${JSON.stringify(neutral)})`,
  }));
}

/**
 * A pool name Kubernetes accepts, the retention both the API server and VM-Operator accept, exactly one
 * way of naming members, names given once, and a size that the names can
 * fill. Example: `vms: ["a", "b"]` with size 3 -> one issue on `size`.
 */
export function validateVmoperatorBackend(inputs: { name: string; size: number; backend: VmoperatorBackendInputs }): RuleIssue[] {
  const { backend } = inputs;
  const issues: RuleIssue[] = [];
  // A name still unknown in preview cannot be judged yet.
  if (!isUnknown(inputs.name)) {
    issues.push(...validateVmoperatorPoolName(inputs.name));
  }
  const retention = explainVmoperatorRetention(backend.retention);
  if (retention !== undefined) {
    issues.push({ path: ["backend", "retention"], value: backend.retention, message: retention });
  }
  if ((backend.vms === undefined) === (backend.selector === undefined)) {
    issues.push({
      path: ["backend", backend.vms === undefined ? "vms" : "selector"],
      value: backend.vms === undefined ? undefined : backend.selector,
      message: "give exactly one of 'vms' (the member VMs by name) and 'selector' ({ matchLabels }): VM-Operator pools are made of existing VMs",
    });
  }
  if (backend.vms !== undefined) {
    const seen = new Set<string>();
    backend.vms.forEach((name, index) => {
      if (seen.has(name)) {
        issues.push({ path: ["backend", "vms", index], value: name, message: "names a VM twice" });
      }
      seen.add(name);
    });
    if (inputs.size !== backend.vms.length) {
      issues.push({ path: ["size"], value: inputs.size, message: `must equal the number of VMs in 'backend.vms' (${backend.vms.length}): a VM-Operator pool's size is its number of members` });
    }
  }
  if (backend.selector !== undefined && Object.keys(backend.selector.matchLabels).length === 0) {
    issues.push({ path: ["backend", "selector", "matchLabels"], value: backend.selector.matchLabels, message: "must hold at least one label: an empty selector would take any VM in the namespace" });
  }
  return issues;
}
