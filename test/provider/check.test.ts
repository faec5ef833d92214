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
      failures: [{ property: "backend.kind", reason: "must have a 'kind' of 'kubevirt', 'ovirt' or 'vmoperator' (got \"vsphere\")" }],
    },
    {
      label: "a misspelt property",
      news: { ...valid, sise: 3 },
      failures: [{ property: "sise", reason: "is not a known property; check the spelling against the documented fields" }],
    },
    {
      label: "misspelt properties, nested too, each named by its own path",
      news: { ...valid, sise: 3, backend: { ...valid.backend, namespce: "lab" } },
      failures: [
        { property: "backend.namespce", reason: "is not a known property; check the spelling against the documented fields" },
        { property: "sise", reason: "is not a known property; check the spelling against the documented fields" },
      ],
    },
    {
      label: "keys that would be unreadable bare, quoted",
      news: { ...valid, "": 1, 'a"b': 2 },
      failures: [
        { property: '[""]', reason: "is not a known property; check the spelling against the documented fields" },
        { property: '["a\\"b"]', reason: "is not a known property; check the spelling against the documented fields" },
      ],
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

describe("VmPoolProvider.check on KubeVirt's running, runStrategy and prestarted", () => {
  const provider = new VmPoolProvider(() => ({ ...DEFAULT_SETTINGS, verifyReferences: false }));
  const devices = { template: { spec: { domain: { devices: {} } } } };
  const pool = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    name: "webserver",
    size: 2,
    ...extra,
    backend: { kind: "kubevirt", virtualMachineTemplate: { spec: { ...devices, ...spec } } },
  });
  const checked = (spec: Record<string, unknown>, prestarted: unknown, size: unknown = 2): Record<string, unknown> => ({
    name: "webserver",
    size,
    ...COMMON,
    prestarted,
    backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: { spec: { ...devices, ...spec } } },
  });

  it.each([
    // State shows what the spec means: every VM of a running: true pool runs.
    { label: "running: true", news: pool({ running: true }), inputs: checked({ running: true }, 2) },
    { label: "running: false", news: pool({ running: false }), inputs: checked({ running: false }, 0) },
    { label: "runStrategy Always", news: pool({ runStrategy: "Always" }), inputs: checked({ runStrategy: "Always" }, 2) },
    { label: "runStrategy Manual", news: pool({ runStrategy: "Manual" }), inputs: checked({ runStrategy: "Manual" }, 0) },
    { label: "a prestarted that agrees with running: true", news: pool({ running: true }, { prestarted: 2 }), inputs: checked({ running: true }, 2) },
    // Neither: prestarted picks the run strategy, as before.
    { label: "neither, prestarted unset", news: pool({}), inputs: checked({}, 0) },
    // Unknown during preview: derived from unknowns, so unknown too.
    { label: "running unknown", news: pool({ running: UNKNOWN }), inputs: checked({ running: UNKNOWN }, UNKNOWN) },
    { label: "running: true in a pool of unknown size", news: pool({ running: true }, { size: UNKNOWN }), inputs: checked({ running: true }, UNKNOWN, UNKNOWN) },
    { label: "running: false in a pool of unknown size", news: pool({ running: false }, { size: UNKNOWN }), inputs: checked({ running: false }, 0, UNKNOWN) },
  ])("derives prestarted for $label", async ({ news, inputs }) => {
    await expect(provider.check({}, news)).resolves.toEqual({ inputs, failures: [] });
  });

  it.each([
    {
      label: "running together with runStrategy",
      news: pool({ running: true, runStrategy: "Always" }),
      failures: [
        {
          property: "backend.virtualMachineTemplate.spec.running",
          reason: `cannot be set together with 'runStrategy' ("Always"): KubeVirt refuses a VM spec with both ("Running and RunStrategy are mutually exclusive"); keep one, preferably 'runStrategy' ('running: true' is runStrategy 'Always') (got true)`,
        },
      ],
    },
    {
      label: "running: true with prestarted 0 given",
      news: pool({ running: true }, { prestarted: 0 }),
      failures: [{ property: "prestarted", reason: "contradicts running: true in the VM spec, which runs all 2 VMs of the pool; leave 'prestarted' unset (it then reports 2) or set it to 2 (got 0)" }],
    },
    {
      label: "running: false with prestarted 2",
      news: pool({ running: false }, { prestarted: 2 }),
      failures: [{ property: "prestarted", reason: "contradicts running: false in the VM spec, which keeps every VM of the pool stopped; leave 'prestarted' unset (it then reports 0) or set it to 0 (got 2)" }],
    },
    {
      label: "a kubevirt.io/vmpool label naming another pool",
      news: { ...pool({ running: true }), backend: { kind: "kubevirt", virtualMachineTemplate: { metadata: { labels: { "kubevirt.io/vmpool": "database" } }, spec: { ...devices, running: true } } } },
      failures: [
        {
          property: "backend.virtualMachineTemplate.metadata.labels.kubevirt.io/vmpool",
          reason:
            "must be the pool's own name ('webserver'): 'kubevirt.io/vmpool' names the pool a VM belongs to, and the pool's selector is generated from these labels, so another pool's name would make both pools select the same VMs; use a label of your own for a grouping shared by several pools (got \"database\")",
        },
      ],
    },
  ])("reports $label, naming the property, the value and what is allowed", async ({ news, failures }) => {
    expect((await provider.check({}, news)).failures).toEqual(failures);
  });

  it("does not compare a kubevirt.io/vmpool label with a pool name still unknown during preview", async () => {
    const news = { ...pool({ running: true }), name: UNKNOWN, backend: { kind: "kubevirt", virtualMachineTemplate: { metadata: { labels: { "kubevirt.io/vmpool": "webserver" } }, spec: { ...devices, running: true } } } };
    expect((await provider.check({}, news)).failures).toEqual([]);
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
