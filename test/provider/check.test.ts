import { describe, expect, it } from "vitest";

import { checkInputs, describeValue, findUnknownPaths, UNKNOWN } from "../../provider/check";
import { vmPoolInputsSchema } from "../../provider/schemas/vm-pool";
import { VmPoolProvider } from "../../provider/vm-pool-provider";
import { DEFAULT_SETTINGS } from "../../provider/config/settings";

/** The common settings' defaults, as check() fills them in. */
const COMMON = { description: "", comment: "", prestarted: 0, maxVmsPerUser: 1, type: "automatic", stateful: false, deleteProtection: false };
const template = { spec: { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } } };
const valid = { name: "lab", size: 2, backend: { kind: "kubevirt", virtualMachineTemplate: template } };

describe("checkInputs with the VmPool schema", () => {
  it("applies defaults so they show in state and diffs", () => {
    expect(checkInputs(vmPoolInputsSchema, valid)).toEqual({
      inputs: { name: "lab", size: 2, ...COMMON, backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: template } },
      failures: [],
      valid: { name: "lab", size: 2, ...COMMON, backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: template } },
    });
  });

  it.each([
    {
      label: "a negative size",
      news: { ...valid, size: -1 },
      failures: [{ property: "size", reason: "must be 0 or more (got -1)" }],
    },
    {
      label: "a fractional size",
      news: { ...valid, size: 1.5 },
      failures: [{ property: "size", reason: "must be a whole number (got 1.5)" }],
    },
    {
      label: "a name that is not a DNS label",
      news: { ...valid, name: "Lab_1" },
      failures: [
        {
          property: "name",
          reason: "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (got \"Lab_1\")",
        },
      ],
    },
    {
      label: "an unknown backend kind",
      news: { ...valid, backend: { ...valid.backend, kind: "vsphere" } },
      failures: [{ property: "backend.kind", reason: "must have a 'kind' of 'kubevirt' or 'ovirt' (got \"vsphere\")" }],
    },
    {
      label: "a misspelt property",
      news: { ...valid, sise: 3 },
      failures: [{ property: "(inputs)", reason: "has unknown property 'sise'; check the spelling against the documented fields" }],
    },
  ])("reports $label with the property, the value and what is allowed", ({ news, failures }) => {
    expect(checkInputs(vmPoolInputsSchema, news).failures).toEqual(failures);
  });

  it("reports every problem at once, cross-field rules included", () => {
    const news = {
      name: "a".repeat(62),
      size: 5,
      backend: { kind: "kubevirt", namespace: "Bad NS", virtualMachineTemplate: { spec: { runStrategy: "Sometimes", template: { spec: { domain: { devices: {} } } } } } },
    };
    expect(checkInputs(vmPoolInputsSchema, news).failures).toEqual([
      {
        property: "backend.namespace",
        reason: 'must be a Kubernetes namespace name (a DNS-1123 label) (got "Bad NS")',
      },
      {
        property: "name",
        reason: `makes VM names up to 64 characters long ('${"a".repeat(62)}-4' for a pool of 5); KubeVirt VM names must be at most 63, so shorten the name to 61 characters or fewer (got "${"a".repeat(62)}")`,
      },
      { property: "backend.virtualMachineTemplate.spec.runStrategy", reason: 'must be one of Always, RerunOnFailure, Once, Manual, Halted (got "Sometimes")' },
    ]);
  });

  it("treats values unknown during preview as unknown, not as type errors", () => {
    const news = { ...valid, size: UNKNOWN };
    expect(checkInputs(vmPoolInputsSchema, news)).toEqual({ inputs: news, failures: [], valid: undefined });
  });

  it("still reports known problems next to unknown values", () => {
    const news = { ...valid, maxVmsPerUser: 0, size: UNKNOWN };
    expect(checkInputs(vmPoolInputsSchema, news).failures).toEqual([{ property: "maxVmsPerUser", reason: "must be between 1 and 32767 (got 0)" }]);
  });
});

describe("VmPoolProvider.check", () => {
  const provider = new VmPoolProvider(() => DEFAULT_SETTINGS);

  it("fills the namespace default even when other inputs are unknown, so preview plans no false replacement", async () => {
    const result = await provider.check({}, { ...valid, size: UNKNOWN, __provider: "shim" });
    expect(result).toEqual({
      inputs: { name: "lab", size: UNKNOWN, ...COMMON, backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: template } },
      failures: [],
    });
  });

  it("returns failures instead of throwing for input that is not even an object tree", async () => {
    const result = await provider.check({}, { name: 42, size: "two", backend: null });
    expect(result.failures).toEqual([
      { property: "name", reason: "Invalid input: expected string, received number (got 42)" },
      { property: "size", reason: "Invalid input: expected number, received string (got \"two\")" },
      { property: "backend", reason: "Invalid input: expected object, received null (got null)" },
    ]);
  });
});

describe("findUnknownPaths", () => {
  it.each([
    { value: UNKNOWN, paths: [[]] },
    { value: { a: 1, b: { c: UNKNOWN } }, paths: [["b", "c"]] },
    { value: { list: [1, UNKNOWN] }, paths: [["list", 1]] },
    { value: { a: "known" }, paths: [] },
  ])("finds $paths in $value", ({ value, paths }) => {
    expect(findUnknownPaths(value)).toEqual(paths);
  });
});

describe("describeValue", () => {
  it.each([
    { value: undefined, text: "nothing" },
    { value: -1, text: "-1" },
    { value: "x", text: '"x"' },
    { value: "y".repeat(100), text: `"${"y".repeat(76)}...` },
  ])("renders $value as $text", ({ value, text }) => {
    expect(describeValue(value)).toBe(text);
  });
});
