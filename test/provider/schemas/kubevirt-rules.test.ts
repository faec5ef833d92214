import { describe, expect, it } from "vitest";

import {
  calculateKubevirtPrestarted,
  calculateKubevirtRunStrategy,
  validateKubevirtPoolLabel,
  validateKubevirtPrestarted,
  validateKubevirtVmNames,
  validateKubevirtVmTemplate,
} from "../../../provider/schemas/kubevirt-rules";
import { SEED_004_VM_SPEC } from "../../fixtures/seed-004";

describe("validateKubevirtVmNames", () => {
  it.each([
    // The longest VM name is `<pool>-<size-1>`.
    { name: "lab", size: 12 }, // lab-11
    { name: "a".repeat(61), size: 10 }, // a...a-9: 63 characters, the limit
    { name: "a".repeat(61), size: 0 }, // an empty pool still names index 0 as its first
  ])("accepts a $name.length-character name for a pool of $size", ({ name, size }) => {
    expect(validateKubevirtVmNames(name, size)).toEqual([]);
  });

  it.each([
    {
      name: "a".repeat(61),
      size: 11,
      message: `makes VM names up to 64 characters long ('${"a".repeat(61)}-10' for a pool of 11); KubeVirt VM names must be at most 63, so shorten the name to 60 characters or fewer`,
    },
    {
      name: "a".repeat(62),
      size: 1,
      message: `makes VM names up to 64 characters long ('${"a".repeat(62)}-0' for a pool of 1); KubeVirt VM names must be at most 63, so shorten the name to 61 characters or fewer`,
    },
  ])("rejects a $name.length-character name for a pool of $size", ({ name, size, message }) => {
    expect(validateKubevirtVmNames(name, size)).toEqual([{ path: ["name"], value: name, message }]);
  });
});

describe("validateKubevirtVmTemplate", () => {
  const devices = { template: { spec: { domain: { devices: {} } } } };
  const base = ["backend", "virtualMachineTemplate", "spec"];
  /** A DataVolume template named `name` (none for null), and the VM template that mounts it through `volume`. */
  const withDisk = (volume: Record<string, unknown>, name: string | null = "disk"): Record<string, unknown> => ({
    runStrategy: "Always",
    template: { spec: { domain: { devices: {} }, volumes: [{ name: "root", ...volume }] } },
    dataVolumeTemplates: [{ metadata: name === null ? {} : { name }, spec: { pvc: {} } }],
  });

  it.each([
    { label: "runStrategy Always", spec: { runStrategy: "Always", ...devices } },
    { label: "runStrategy Manual", spec: { runStrategy: "Manual", ...devices } },
    { label: "deprecated running alone", spec: { running: false, ...devices } },
    // The provider derives runStrategy from prestarted.
    { label: "neither runStrategy nor running", spec: { ...devices } },
    // Seed 004: running: true, a DataVolume template mounted through persistentVolumeClaim.
    { label: "the seed's web-server VM spec", spec: SEED_004_VM_SPEC },
    { label: "a DataVolume template mounted as a dataVolume volume", spec: withDisk({ dataVolume: { name: "disk" } }) },
  ])("accepts $label", ({ spec }) => {
    expect(validateKubevirtVmTemplate(spec)).toEqual([]);
  });

  it.each([
    {
      label: "both runStrategy and running",
      spec: { runStrategy: "Always", running: true, ...devices },
      issues: [
        {
          path: [...base, "running"],
          value: true,
          message: `cannot be set together with 'runStrategy' ("Always"): KubeVirt refuses a VM spec with both ("Running and RunStrategy are mutually exclusive"); keep one, preferably 'runStrategy' ('running: true' is runStrategy 'Always')`,
        },
      ],
    },
    {
      label: "running: false next to an unknown run strategy",
      spec: { runStrategy: "Sometimes", running: false, ...devices },
      issues: [
        {
          path: [...base, "running"],
          value: false,
          message: `cannot be set together with 'runStrategy' ("Sometimes"): KubeVirt refuses a VM spec with both ("Running and RunStrategy are mutually exclusive"); keep one, preferably 'runStrategy' ('running: false' is runStrategy 'Halted')`,
        },
        { path: [...base, "runStrategy"], value: "Sometimes", message: "must be one of Always, RerunOnFailure, Once, Manual, Halted" },
      ],
    },
    {
      label: "running that is not a boolean",
      spec: { running: "yes", ...devices },
      issues: [{ path: [...base, "running"], value: "yes", message: "must be true or false (KubeVirt's deprecated 'running'); better, set runStrategy 'Always' (true) or 'Halted' (false) instead" }],
    },
    {
      label: "an unknown run strategy",
      spec: { runStrategy: "Sometimes", ...devices },
      issues: [{ path: [...base, "runStrategy"], value: "Sometimes", message: "must be one of Always, RerunOnFailure, Once, Manual, Halted" }],
    },
    {
      label: "no devices",
      spec: { template: { spec: { domain: {} } } },
      issues: [
        {
          path: [...base, "template", "spec", "domain", "devices"],
          value: undefined,
          message: "must be an object (it may be empty): KubeVirt requires template.spec.domain.devices in every VM template",
        },
      ],
    },
    {
      label: "a DataVolume template no volume mounts",
      spec: withDisk({ persistentVolumeClaim: { claimName: "other" } }),
      issues: [
        {
          path: [...base, "dataVolumeTemplates", 0, "metadata", "name"],
          value: "disk",
          message: "must be mounted by a volume of template.spec.volumes (persistentVolumeClaim.claimName or dataVolume.name 'disk'); KubeVirt refuses a DataVolume template that no volume references",
        },
      ],
    },
    {
      label: "a DataVolume template without a name",
      spec: withDisk({ persistentVolumeClaim: { claimName: "disk" } }, null),
      issues: [
        {
          path: [...base, "dataVolumeTemplates", 0, "metadata", "name"],
          value: undefined,
          message: "must name the DataVolume: KubeVirt refuses a dataVolumeTemplates entry without metadata.name",
        },
      ],
    },
    {
      label: "a cloud-init secret reference without a name",
      spec: { ...devices, runStrategy: "Always", template: { spec: { domain: { devices: {} }, volumes: [{ name: "cloudinitdisk", cloudInitNoCloud: { secretRef: {} } }] } } },
      issues: [
        {
          path: [...base, "template", "spec", "volumes", 0, "cloudInitNoCloud", "secretRef", "name"],
          value: undefined,
          message: "must name the Secret: without a name KubeVirt's CRD defaults it to '' (a reference to nothing, which the VM cannot start with), and the pool would read back changed on every preview",
        },
      ],
    },
    {
      label: "a config map volume with an empty name",
      spec: { runStrategy: "Always", template: { spec: { domain: { devices: {} }, volumes: [{ name: "a", containerDisk: { image: "x" } }, { name: "b", configMap: { name: "" } }] } } },
      issues: [
        {
          path: [...base, "template", "spec", "volumes", 1, "configMap", "name"],
          value: "",
          message: "must name the ConfigMap: without a name KubeVirt's CRD defaults it to '' (a reference to nothing, which the VM cannot start with), and the pool would read back changed on every preview",
        },
      ],
    },
  ])("reports $label", ({ spec, issues }) => {
    expect(validateKubevirtVmTemplate(spec)).toEqual(issues);
  });
});

describe("validateKubevirtPrestarted", () => {
  it.each([
    // Unset: derived from the spec, never a contradiction.
    { prestarted: undefined, size: 2, spec: { running: true } },
    { prestarted: undefined, size: 2, spec: { runStrategy: "Manual" } },
    // No run strategy in the spec: prestarted picks it, 0 or the size.
    { prestarted: 0, size: 3, spec: {} },
    { prestarted: 3, size: 3, spec: {} },
    // Given next to the spec's own setting, agreeing with it.
    { prestarted: 2, size: 2, spec: { running: true } },
    { prestarted: 0, size: 2, spec: { running: false } },
    { prestarted: 3, size: 3, spec: { runStrategy: "Always" } },
    { prestarted: 0, size: 3, spec: { runStrategy: "Halted" } },
    { prestarted: 0, size: 0, spec: { running: true } }, // an empty pool runs all of its 0 VMs
    // Strategies no count describes take 0 (the default, which check() also writes back).
    { prestarted: 0, size: 3, spec: { runStrategy: "Manual" } },
    // Reported elsewhere: outside 0..size (validatePrestarted), an invalid spec (validateKubevirtVmTemplate).
    { prestarted: 5, size: 3, spec: { running: false } },
    { prestarted: 1, size: 2, spec: { running: true, runStrategy: "Always" } },
    { prestarted: 1, size: 2, spec: { running: "yes" } },
  ])("accepts $prestarted of $size with $spec", ({ prestarted, size, spec }) => {
    expect(validateKubevirtPrestarted(prestarted, size, spec)).toEqual([]);
  });

  it.each([
    {
      prestarted: 2,
      size: 3,
      spec: {},
      message: "must be 0 or the pool's size (3) on KubeVirt, which runs all or none of a pool's VMs; for finer control set runStrategy 'Manual' and start VMs with virtctl",
    },
    {
      prestarted: 0,
      size: 2,
      spec: { running: true },
      message: "contradicts running: true in the VM spec, which runs all 2 VMs of the pool; leave 'prestarted' unset (it then reports 2) or set it to 2",
    },
    {
      prestarted: 1,
      size: 2,
      spec: { running: true },
      message: "contradicts running: true in the VM spec, which runs all 2 VMs of the pool; leave 'prestarted' unset (it then reports 2) or set it to 2",
    },
    {
      prestarted: 2,
      size: 2,
      spec: { running: false },
      message: "contradicts running: false in the VM spec, which keeps every VM of the pool stopped; leave 'prestarted' unset (it then reports 0) or set it to 0",
    },
    {
      prestarted: 0,
      size: 3,
      spec: { runStrategy: "Always" },
      message: "contradicts runStrategy 'Always' in the VM spec, which runs all 3 VMs of the pool; leave 'prestarted' unset (it then reports 3) or set it to 3",
    },
    {
      prestarted: 3,
      size: 3,
      spec: { runStrategy: "Halted" },
      message: "contradicts runStrategy 'Halted' in the VM spec, which keeps every VM of the pool stopped; leave 'prestarted' unset (it then reports 0) or set it to 0",
    },
    {
      prestarted: 3,
      size: 3,
      spec: { runStrategy: "Manual" },
      message: "cannot be combined with runStrategy 'Manual' in the VM spec: only runStrategy 'Always' (prestarted = size) and 'Halted' (prestarted 0) say how many VMs are kept running; leave 'prestarted' unset",
    },
  ])("refuses $prestarted of $size with $spec", ({ prestarted, size, spec, message }) => {
    expect(validateKubevirtPrestarted(prestarted, size, spec)).toEqual([{ path: ["prestarted"], value: prestarted, message }]);
  });
});

describe("calculateKubevirtPrestarted", () => {
  it.each([
    { spec: { running: true }, size: 2, prestarted: 2 },
    { spec: { running: false }, size: 2, prestarted: 0 },
    { spec: { runStrategy: "Always" }, size: 4, prestarted: 4 },
    { spec: { runStrategy: "Halted" }, size: 4, prestarted: 0 },
    { spec: { runStrategy: "RerunOnFailure" }, size: 4, prestarted: 0 },
    { spec: {}, size: 4, prestarted: 0 },
  ])("reports $prestarted for $spec in a pool of $size", ({ spec, size, prestarted }) => {
    expect(calculateKubevirtPrestarted(spec, size)).toBe(prestarted);
  });
});

describe("calculateKubevirtRunStrategy", () => {
  it.each([
    { prestarted: 0, strategy: "Halted" },
    { prestarted: 4, strategy: "Always" },
  ])("maps prestarted $prestarted to $strategy", ({ prestarted, strategy }) => {
    expect(calculateKubevirtRunStrategy(prestarted)).toBe(strategy);
  });
});

describe("validateKubevirtPoolLabel", () => {
  const vmiLabels = (labels: Record<string, string>): Record<string, unknown> => ({ template: { metadata: { labels } } });
  const vmPath = ["backend", "virtualMachineTemplate", "metadata", "labels", "kubevirt.io/vmpool"];
  const vmiPath = ["backend", "virtualMachineTemplate", "spec", "template", "metadata", "labels", "kubevirt.io/vmpool"];

  it.each([
    // Seed 004's form: the pool's own name on the VMs, the selector and the VMIs.
    { label: "the pool's own name on VMs and VMIs", vm: { "kubevirt.io/vmpool": "webserver" }, spec: vmiLabels({ "kubevirt.io/vmpool": "webserver" }) },
    { label: "no kubevirt.io/vmpool label at all", vm: { app: "web" }, spec: vmiLabels({ app: "web" }) },
    { label: "no labels given (the provider generates the pool's own)", vm: undefined, spec: {} },
  ])("accepts $label", ({ vm, spec }) => {
    expect(validateKubevirtPoolLabel("webserver", vm, spec)).toEqual([]);
  });

  it.each([
    {
      label: "another pool's name on the VMs",
      vm: { "kubevirt.io/vmpool": "database" },
      spec: {},
      issues: [
        {
          path: vmPath,
          value: "database",
          message:
            "must be the pool's own name ('webserver'): 'kubevirt.io/vmpool' names the pool a VM belongs to, and the pool's selector is generated from these labels, so another pool's name would make both pools select the same VMs; use a label of your own for a grouping shared by several pools",
        },
      ],
    },
    {
      label: "another pool's name on the VMIs",
      vm: { "kubevirt.io/vmpool": "webserver" },
      spec: vmiLabels({ "kubevirt.io/vmpool": "database" }),
      issues: [
        {
          path: vmiPath,
          value: "database",
          message:
            "must be the pool's own name ('webserver'): 'kubevirt.io/vmpool' names the pool a VM belongs to, and Services select the VMIs by it, so another pool's name would send that pool's traffic to these VMs; use a label of your own for a grouping shared by several pools",
        },
      ],
    },
  ])("reports $label", ({ vm, spec, issues }) => {
    expect(validateKubevirtPoolLabel("webserver", vm, spec)).toEqual(issues);
  });
});
