import { describe, expect, it } from "vitest";

import { calculateKubevirtRunStrategy, validateKubevirtPrestarted, validateKubevirtVmNames, validateKubevirtVmTemplate } from "../../../provider/schemas/kubevirt-rules";

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

  it.each([
    { label: "runStrategy Always", spec: { runStrategy: "Always", ...devices } },
    { label: "runStrategy Manual", spec: { runStrategy: "Manual", ...devices } },
    { label: "deprecated running alone", spec: { running: false, ...devices } },
    // The provider derives runStrategy from prestarted.
    { label: "neither runStrategy nor running", spec: { ...devices } },
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
          message: "cannot be set together with 'runStrategy' (KubeVirt: Running and RunStrategy are mutually exclusive); remove 'running', which is deprecated",
        },
      ],
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
  ])("reports $label", ({ spec, issues }) => {
    expect(validateKubevirtVmTemplate(spec)).toEqual(issues);
  });
});

describe("validateKubevirtPrestarted", () => {
  it.each([
    { prestarted: 0, size: 3, spec: { runStrategy: "Manual" } },
    { prestarted: 0, size: 3, spec: {} },
    { prestarted: 3, size: 3, spec: {} },
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
      prestarted: 3,
      size: 3,
      spec: { runStrategy: "Always" },
      message: "cannot be combined with 'runStrategy' or 'running' in the VM spec; set one of them (prestarted 0 maps to Halted, prestarted = size to Always)",
    },
    {
      prestarted: 1,
      size: 1,
      spec: { running: true },
      message: "cannot be combined with 'runStrategy' or 'running' in the VM spec; set one of them (prestarted 0 maps to Halted, prestarted = size to Always)",
    },
  ])("refuses $prestarted of $size with $spec", ({ prestarted, size, spec, message }) => {
    expect(validateKubevirtPrestarted(prestarted, size, spec)).toEqual([{ path: ["prestarted"], value: prestarted, message }]);
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
