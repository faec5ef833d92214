/**
 * Cross-field rules for pools on KubeVirt. Each is a pure function returning
 * every problem it finds, so `check()` can report them all at once and tests
 * can call them directly.
 */

/** One problem found by a rule: where, what value, and what is allowed. */
export interface RuleIssue {
  /** Path of the offending property from the root of the inputs. */
  readonly path: (string | number)[];
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** The value that broke the rule. */
  readonly value: unknown;
}

/**
 * The longest VM name KubeVirt can carry: virt-controller copies it into the
 * label `vm.kubevirt.io/name`, and label values hold at most 63 characters.
 */
export const MAX_KUBEVIRT_VM_NAME = 63;

/** The run strategies KubeVirt's webhook accepts (`WaitAsReceiver` needs a feature gate). */
export const KUBEVIRT_RUN_STRATEGIES = ["Always", "RerunOnFailure", "Once", "Manual", "Halted"] as const;

/** DNS-1123 label: every VM name `<pool>-<index>` becomes a label value. */
const KUBEVIRT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The pool-wide settings KubeVirt has no equivalent for, with the value that means "not used". */
const KUBEVIRT_UNSUPPORTED = [
  ["maxVmsPerUser", 1, "KubeVirt does not assign VMs to users"],
  ["type", "automatic", "KubeVirt pools have no manual type"],
  ["stateful", false, "VMs keep their disks as their templates define"],
  ["deleteProtection", false, "use a Pulumi 'protect' resource option instead"],
] as const;

/** Rejects common settings that would be silently meaningless on KubeVirt. */
export function validateKubevirtUnsupported(inputs: Record<string, unknown>): RuleIssue[] {
  return KUBEVIRT_UNSUPPORTED.filter(([key, neutral]) => inputs[key] !== neutral).map(([key, neutral, why]) => ({
    path: [key],
    value: inputs[key],
    message: `is not supported on KubeVirt (${why}); leave it unset (${JSON.stringify(neutral)})`,
  }));
}

/**
 * Checks that every VM name the pool controller will generate fits.
 * KubeVirt names VMs `<pool>-<index>` with indexes from 0 to size-1
 * (`generateVMName` in virt-controller), so the longest name belongs to the
 * last index. Example: pool `lab` of size 12 -> longest VM name `lab-11`.
 */
export function validateKubevirtVmNames(poolName: string, size: number): RuleIssue[] {
  if (!KUBEVIRT_NAME.test(poolName)) {
    return [{ path: ["name"], value: poolName, message: "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit" }];
  }
  const longest = `${poolName}-${Math.max(size - 1, 0)}`;
  if (longest.length <= MAX_KUBEVIRT_VM_NAME) {
    return [];
  }
  return [
    {
      path: ["name"],
      value: poolName,
      message: `makes VM names up to ${longest.length} characters long ('${longest}' for a pool of ${size}); KubeVirt VM names must be at most ${MAX_KUBEVIRT_VM_NAME}, so shorten the name to ${MAX_KUBEVIRT_VM_NAME - (longest.length - poolName.length)} characters or fewer`,
    },
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks the parts of a `VirtualMachineSpec` that a real KubeVirt cluster
 * rejects in its webhook, which a bare API server does not run: at most one
 * of `runStrategy` and the deprecated `running` (when neither is set, the
 * provider derives `runStrategy` from `prestarted`), a known run strategy,
 * and `template.spec.domain.devices`, which the CRD schema requires.
 */
export function validateKubevirtVmTemplate(spec: Record<string, unknown>): RuleIssue[] {
  const base = ["backend", "virtualMachineTemplate", "spec"];
  const issues: RuleIssue[] = [];
  const runStrategy = spec["runStrategy"];
  const running = spec["running"];
  if (runStrategy !== undefined && running !== undefined) {
    issues.push({
      path: [...base, "running"],
      value: running,
      message: "cannot be set together with 'runStrategy' (KubeVirt: Running and RunStrategy are mutually exclusive); remove 'running', which is deprecated",
    });
  } else if (runStrategy !== undefined && !(KUBEVIRT_RUN_STRATEGIES as readonly unknown[]).includes(runStrategy)) {
    issues.push({
      path: [...base, "runStrategy"],
      value: runStrategy,
      message: `must be one of ${KUBEVIRT_RUN_STRATEGIES.join(", ")}`,
    });
  }
  const template = spec["template"];
  const templateSpec = isRecord(template) ? template["spec"] : undefined;
  const domain = isRecord(templateSpec) ? templateSpec["domain"] : undefined;
  if (!isRecord(domain) || !isRecord(domain["devices"])) {
    issues.push({
      path: [...base, "template", "spec", "domain", "devices"],
      value: isRecord(domain) ? domain["devices"] : undefined,
      message: "must be an object (it may be empty): KubeVirt requires template.spec.domain.devices in every VM template",
    });
  }
  return issues;
}

/**
 * `prestarted` on KubeVirt: a pool has one VM template, so one run strategy
 * for all its VMs. `prestarted: 0` maps to `Halted`, `prestarted: size` to
 * `Always`; anything between cannot be expressed, and neither can
 * `prestarted` next to an explicit `runStrategy` or `running`.
 */
export function validateKubevirtPrestarted(prestarted: number, size: number, spec: Record<string, unknown>): RuleIssue[] {
  if (prestarted === 0) {
    return [];
  }
  if (spec["runStrategy"] !== undefined || spec["running"] !== undefined) {
    return [{ path: ["prestarted"], value: prestarted, message: "cannot be combined with 'runStrategy' or 'running' in the VM spec; set one of them (prestarted 0 maps to Halted, prestarted = size to Always)" }];
  }
  if (prestarted !== size) {
    return [
      {
        path: ["prestarted"],
        value: prestarted,
        message: `must be 0 or the pool's size (${size}) on KubeVirt, which runs all or none of a pool's VMs; for finer control set runStrategy 'Manual' and start VMs with virtctl`,
      },
    ];
  }
  return [];
}

/** The run strategy a KubeVirt pool gets when the VM spec sets none: from `prestarted`. */
export function calculateKubevirtRunStrategy(prestarted: number): "Always" | "Halted" {
  return prestarted > 0 ? "Always" : "Halted";
}
