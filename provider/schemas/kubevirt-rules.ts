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

/** Reads a nested record member, or undefined when any step is not a record. */
function dig(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}

/**
 * Checks the parts of a `VirtualMachineSpec` that a real KubeVirt cluster
 * rejects in its webhook (`validateRunStrategy` and
 * `validateDataVolumeTemplate` in virt-api, which the pool webhook runs on
 * `spec.virtualMachineTemplate.spec`), because a bare API server does not run
 * it: at most one of `runStrategy` and the deprecated boolean `running` (when
 * neither is set, the provider derives `runStrategy` from `prestarted`), a
 * known run strategy, `template.spec.domain.devices`, which the CRD schema
 * requires, every `dataVolumeTemplates` entry named and mounted, and every
 * Secret or ConfigMap a volume references named.
 */
export function validateKubevirtVmTemplate(spec: Record<string, unknown>): RuleIssue[] {
  const base = ["backend", "virtualMachineTemplate", "spec"];
  const issues: RuleIssue[] = [];
  const runStrategy = spec["runStrategy"];
  const running = spec["running"];
  if (running !== undefined && typeof running !== "boolean") {
    issues.push({ path: [...base, "running"], value: running, message: "must be true or false (KubeVirt's deprecated 'running'); better, set runStrategy 'Always' (true) or 'Halted' (false) instead" });
  } else if (running !== undefined && runStrategy !== undefined) {
    issues.push({
      path: [...base, "running"],
      value: running,
      message: `cannot be set together with 'runStrategy' (${JSON.stringify(runStrategy)}): KubeVirt refuses a VM spec with both ("Running and RunStrategy are mutually exclusive"); keep one, preferably 'runStrategy' ('running: ${String(running)}' is runStrategy '${running ? "Always" : "Halted"}')`,
    });
  }
  if (runStrategy !== undefined && !(KUBEVIRT_RUN_STRATEGIES as readonly unknown[]).includes(runStrategy)) {
    issues.push({
      path: [...base, "runStrategy"],
      value: runStrategy,
      message: `must be one of ${KUBEVIRT_RUN_STRATEGIES.join(", ")}`,
    });
  }
  const domain = dig(spec, "template", "spec", "domain");
  if (!isRecord(domain) || !isRecord(domain["devices"])) {
    issues.push({
      path: [...base, "template", "spec", "domain", "devices"],
      value: isRecord(domain) ? domain["devices"] : undefined,
      message: "must be an object (it may be empty): KubeVirt requires template.spec.domain.devices in every VM template",
    });
  }
  issues.push(...validateDataVolumeTemplates(spec, base), ...validateVolumeRefs(spec, base));
  return issues;
}

/**
 * Object references in volumes whose `name` KubeVirt's CRD schema defaults to
 * `""` when it is missing: `[source, reference or "" for the source itself, kind]`.
 */
const DEFAULTED_REFS = [
  ["cloudInitNoCloud", "secretRef", "Secret"],
  ["cloudInitNoCloud", "networkDataSecretRef", "Secret"],
  ["cloudInitConfigDrive", "secretRef", "Secret"],
  ["cloudInitConfigDrive", "networkDataSecretRef", "Secret"],
  ["sysprep", "secret", "Secret"],
  ["sysprep", "configMap", "ConfigMap"],
  ["configMap", "", "ConfigMap"],
] as const;

/**
 * A volume's Secret or ConfigMap reference must carry a name. Without one,
 * the API server fills in `name: ""` (the CRD's default), a reference to
 * nothing that the VM cannot start with, and the pool then reads back
 * different from the inputs, a change planned on every preview.
 */
function validateVolumeRefs(spec: Record<string, unknown>, base: string[]): RuleIssue[] {
  const volumes = dig(spec, "template", "spec", "volumes");
  if (!Array.isArray(volumes)) {
    return [];
  }
  return volumes.flatMap((volume: unknown, index) =>
    DEFAULTED_REFS.flatMap(([source, ref, kind]): RuleIssue[] => {
      const at = ref === "" ? [source] : [source, ref];
      const reference = dig(volume, ...at);
      const name = dig(reference, "name");
      if (!isRecord(reference) || (typeof name === "string" && name !== "")) {
        return [];
      }
      return [
        {
          path: [...base, "template", "spec", "volumes", index, ...at, "name"],
          value: name,
          message: `must name the ${kind}: without a name KubeVirt's CRD defaults it to '' (a reference to nothing, which the VM cannot start with), and the pool would read back changed on every preview`,
        },
      ];
    }),
  );
}

/**
 * Each `dataVolumeTemplates` entry needs `metadata.name`, and a volume of the
 * VM template must mount it (`persistentVolumeClaim.claimName` or
 * `dataVolume.name` equal to that name); KubeVirt's webhook refuses the pool
 * otherwise. The pool controller then makes one DataVolume per VM,
 * `<name>-<index>`, and points that VM's volume at it.
 */
function validateDataVolumeTemplates(spec: Record<string, unknown>, base: string[]): RuleIssue[] {
  const templates = spec["dataVolumeTemplates"];
  if (!Array.isArray(templates)) {
    return [];
  }
  const volumes = dig(spec, "template", "spec", "volumes");
  const mounted = new Set(
    (Array.isArray(volumes) ? volumes : []).flatMap((volume: unknown) => [dig(volume, "persistentVolumeClaim", "claimName"), dig(volume, "dataVolume", "name")].filter((n): n is string => typeof n === "string")),
  );
  return templates.flatMap((template: unknown, index): RuleIssue[] => {
    const name = dig(template, "metadata", "name");
    if (typeof name !== "string" || name === "") {
      return [{ path: [...base, "dataVolumeTemplates", index, "metadata", "name"], value: name, message: "must name the DataVolume: KubeVirt refuses a dataVolumeTemplates entry without metadata.name" }];
    }
    if (!mounted.has(name)) {
      return [
        {
          path: [...base, "dataVolumeTemplates", index, "metadata", "name"],
          value: name,
          message: `must be mounted by a volume of template.spec.volumes (persistentVolumeClaim.claimName or dataVolume.name '${name}'); KubeVirt refuses a DataVolume template that no volume references`,
        },
      ];
    }
    return [];
  });
}

/**
 * How a VM spec sets its run strategy, for the prestart rules:
 * `implied` is the `prestarted` it means, undefined when the spec is invalid
 * (reported by {@link validateKubevirtVmTemplate}) or sets a strategy no
 * prestarted count describes.
 */
function describeRunSetting(spec: Record<string, unknown>, size: number): { setting: string | undefined; implied: number | undefined; invalid: boolean } {
  const running = spec["running"];
  const runStrategy = spec["runStrategy"];
  if ((running !== undefined && runStrategy !== undefined) || (running !== undefined && typeof running !== "boolean") || (runStrategy !== undefined && !(KUBEVIRT_RUN_STRATEGIES as readonly unknown[]).includes(runStrategy))) {
    return { setting: undefined, implied: undefined, invalid: true };
  }
  if (typeof running === "boolean") {
    return { setting: `running: ${String(running)}`, implied: running ? size : 0, invalid: false };
  }
  if (typeof runStrategy === "string") {
    const implied = runStrategy === "Always" ? size : runStrategy === "Halted" ? 0 : undefined;
    return { setting: `runStrategy '${runStrategy}'`, implied, invalid: false };
  }
  return { setting: undefined, implied: undefined, invalid: false };
}

/**
 * `prestarted` on KubeVirt: a pool has one VM template, so one run strategy
 * for all its VMs, and `prestarted` is the VMs that strategy keeps running:
 * 0 is `Halted`, the size is `Always` (README: "`prestarted` onto
 * `runStrategy`"). So:
 * - a VM spec with neither `runStrategy` nor `running`: `prestarted` picks the
 *   strategy, and must be 0 or the size;
 * - `running: true` or `runStrategy: Always` (all VMs run), `running: false`
 *   or `runStrategy: Halted` (none does): `prestarted` is derived from them
 *   when unset; given, it must say the same, since anything else contradicts
 *   the spec (a redundant, agreeing value is accepted);
 * - `Manual`, `RerunOnFailure`, `Once`: no prestarted count describes them,
 *   so `prestarted` must be unset or 0.
 * `prestarted` undefined means the user did not set it. A value outside
 * 0..size is reported by `validatePrestarted` alone.
 */
export function validateKubevirtPrestarted(prestarted: number | undefined, size: number, spec: Record<string, unknown>): RuleIssue[] {
  if (prestarted === undefined || prestarted < 0 || prestarted > size) {
    return [];
  }
  const { setting, implied, invalid } = describeRunSetting(spec, size);
  const issue = (message: string): RuleIssue[] => [{ path: ["prestarted"], value: prestarted, message }];
  if (invalid) {
    return [];
  }
  if (setting === undefined) {
    return prestarted === 0 || prestarted === size
      ? []
      : issue(`must be 0 or the pool's size (${size}) on KubeVirt, which runs all or none of a pool's VMs; for finer control set runStrategy 'Manual' and start VMs with virtctl`);
  }
  if (implied === undefined) {
    return prestarted === 0
      ? []
      : issue(`cannot be combined with ${setting} in the VM spec: only runStrategy 'Always' (prestarted = size) and 'Halted' (prestarted 0) say how many VMs are kept running; leave 'prestarted' unset`);
  }
  if (prestarted === implied) {
    return [];
  }
  const effect = implied === 0 ? "keeps every VM of the pool stopped" : `runs all ${size} VMs of the pool`;
  return issue(`contradicts ${setting} in the VM spec, which ${effect}; leave 'prestarted' unset (it then reports ${implied}) or set it to ${implied}`);
}

/**
 * The `prestarted` a KubeVirt VM spec means, reported in state and used when
 * the user leaves `prestarted` unset: the size for `running: true` and
 * `runStrategy: Always`, else 0 (`Halted`, `running: false`, no strategy at
 * all, and strategies no count describes). Example: `running: true` in a pool
 * of 2 -> 2.
 */
export function calculateKubevirtPrestarted(spec: Record<string, unknown>, size: number): number {
  return spec["running"] === true || (spec["running"] === undefined && spec["runStrategy"] === "Always") ? size : 0;
}

/** The run strategy a KubeVirt pool gets when the VM spec sets none: from `prestarted`. */
export function calculateKubevirtRunStrategy(prestarted: number): "Always" | "Halted" {
  return prestarted > 0 ? "Always" : "Halted";
}

/**
 * The label KubeVirt's own pool examples put on the VMs and VMIs of pool
 * `<name>`, `kubevirt.io/vmpool: <name>`, and the one the provider generates
 * when the user gives no VM labels.
 */
export const KUBEVIRT_POOL_LABEL = "kubevirt.io/vmpool";

/**
 * A `kubevirt.io/vmpool` label, where the user sets one, must name this pool.
 * On the VM labels it is what the pool's selector matches, so naming another
 * pool would make two pools select the same VMs, the conflict KubeVirt leaves
 * to the user to avoid; on the VMI labels (`spec.template.metadata.labels`) it
 * is what Services select, so it would route the other pool's traffic here.
 * A grouping shared by several pools belongs in a label of its own.
 */
export function validateKubevirtPoolLabel(poolName: string, vmLabels: Record<string, string> | undefined, spec: Record<string, unknown>): RuleIssue[] {
  const places: [(string | number)[], unknown, string][] = [
    [["backend", "virtualMachineTemplate", "metadata", "labels"], vmLabels?.[KUBEVIRT_POOL_LABEL], "the pool's selector is generated from these labels, so another pool's name would make both pools select the same VMs"],
    [["backend", "virtualMachineTemplate", "spec", "template", "metadata", "labels"], dig(spec, "template", "metadata", "labels", KUBEVIRT_POOL_LABEL), "Services select the VMIs by it, so another pool's name would send that pool's traffic to these VMs"],
  ];
  return places
    .filter(([, value]) => value !== undefined && value !== poolName)
    .map(([path, value, why]) => ({
      path: [...path, KUBEVIRT_POOL_LABEL],
      value,
      message: `must be the pool's own name ('${poolName}'): '${KUBEVIRT_POOL_LABEL}' names the pool a VM belongs to, and ${why}; use a label of your own for a grouping shared by several pools`,
    }));
}
