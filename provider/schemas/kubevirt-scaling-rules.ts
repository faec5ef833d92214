/**
 * Rules for a KubeVirt pool's autoscaling that need several fields at once.
 * Pure functions returning every problem, so `check()` reports them all.
 * Which KubeVirt version has which pool knob needs the cluster, so those
 * checks run in the backend's read-only `verify()`.
 */
import type { RuleIssue } from "./kubevirt-rules";
import { isKubevirtServicePool } from "./kubevirt-pool-policy";

/** The fields {@link validateKubevirtAutoscaling} reads. */
export interface AutoscaledPoolFields {
  readonly size: number;
  readonly prestarted: number;
  readonly backend: {
    readonly virtualMachineTemplate: { readonly metadata?: { readonly labels?: Record<string, string> | undefined } | undefined; readonly spec: Record<string, unknown> };
    readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number } | undefined;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * With `autoscaling`:
 * - `size`, the count the pool starts with, lies within `minReplicas` ..
 *   `maxReplicas` (the autoscaler would move it there at once);
 * - the VMs run (`runStrategy: Always`, `running: true` or `prestarted` =
 *   size): the autoscaler measures the CPU of running VMs' pods, and would
 *   only add VMs that never start;
 * - the VMI template carries the VM labels: the autoscaler finds the pods to
 *   measure by the pool's selector (`status.labelSelector`, made from the VM
 *   labels), and a VM's pod carries the labels of
 *   `spec.template.metadata.labels`, not the VM's own (seed 004 puts
 *   `kubevirt.io/vmpool` on both).
 * `vmLabels` are the labels the selector is made from (the user's, or the
 * generated `kubevirt.io/vmpool: <name>`); undefined skips the last rule
 * (the pool's name is not known yet during preview).
 */
export function validateKubevirtAutoscaling(inputs: AutoscaledPoolFields, vmLabels: Record<string, string> | undefined): RuleIssue[] {
  const autoscaling = inputs.backend.autoscaling;
  if (autoscaling === undefined) {
    return [];
  }
  const issues: RuleIssue[] = [];
  if (autoscaling.maxReplicas >= autoscaling.minReplicas && (inputs.size < autoscaling.minReplicas || inputs.size > autoscaling.maxReplicas)) {
    issues.push({
      path: ["size"],
      value: inputs.size,
      message: `must be between autoscaling.minReplicas (${autoscaling.minReplicas}) and autoscaling.maxReplicas (${autoscaling.maxReplicas}): with autoscaling, size is the count the pool starts with, and the autoscaler owns it from then on`,
    });
  }
  if (!isKubevirtServicePool({ ...inputs, backend: { ...inputs.backend, autoscaling: undefined } })) {
    issues.push({
      path: ["backend", "autoscaling"],
      value: autoscaling,
      message: "needs VMs that run: the autoscaler measures the CPU of running VMs and would only add VMs that never start; set runStrategy 'Always' (or running: true) in the VM spec, or prestarted to the size",
    });
  }
  const template = inputs.backend.virtualMachineTemplate.spec["template"];
  const metadata = isRecord(template) ? template["metadata"] : undefined;
  const vmiLabels = isRecord(metadata) && isRecord(metadata["labels"]) ? metadata["labels"] : {};
  const missing = Object.entries(vmLabels ?? {}).filter(([key, value]) => vmiLabels[key] !== value);
  if (missing.length > 0) {
    issues.push({
      path: ["backend", "virtualMachineTemplate", "spec", "template", "metadata", "labels"],
      value: isRecord(metadata) ? metadata["labels"] : undefined,
      message: `must carry the VM labels ${missing.map(([key, value]) => `'${key}: ${value}'`).join(", ")} for autoscaling: the autoscaler finds the VMs' pods by the pool's selector, and a pod carries the labels of the VM template's spec.template.metadata.labels`,
    });
  }
  return issues;
}
