import { describe, expect, it } from "vitest";

import { readPreviewRecord, splitUrn } from "../../../policies/review/preview-record";

const POOL_URN = "urn:pulumi:dev::lab::pulumi-nodejs:dynamic/vmpools:VmPool::room12-??";

describe("readPreviewRecord", () => {
  it("reads the digest, which carries no violations", () => {
    const digest = {
      steps: [{ op: "update", urn: POOL_URN, oldState: { inputs: { size: 6 }, outputs: { size: 6 } }, newState: { inputs: { size: 4 }, outputs: {} } }],
      diagnostics: [
        { message: "warning: something\n", severity: "warning" },
        { message: "error: preview failed\n", severity: "error" },
      ],
    };
    expect(readPreviewRecord(JSON.stringify(digest, null, 4))).toEqual({
      format: "digest",
      violations: undefined,
      errors: [{ urn: undefined, message: "preview failed" }],
      steps: [
        {
          op: "update",
          urn: POOL_URN,
          type: "pulumi-nodejs:dynamic/vmpools:VmPool",
          name: "room12-??",
          old: { inputs: { size: 6 }, outputs: { size: 6 }, propertyDependencies: {} },
          new: { inputs: { size: 4 }, outputs: {}, propertyDependencies: {} },
          replaceKeys: [],
        },
      ],
    });
  });

  it("reads the event stream: violations without the description line, replacement steps folded into one", () => {
    const lines = [
      { sequence: 1, policyEvent: { resourceUrn: POOL_URN, message: "Checks whether a pool ...\n'size' must be at most 1000 VMs\n", policyName: "vm-pool-max-size", enforcementLevel: "mandatory" } },
      { sequence: 2, resourcePreEvent: { metadata: { op: "create-replacement", urn: POOL_URN, old: { inputs: { size: 6 } }, new: { inputs: { size: 6 } }, keys: ["backend"] } } },
      { sequence: 3, resourcePreEvent: { metadata: { op: "replace", urn: POOL_URN, old: { inputs: { size: 6 } }, new: { inputs: { size: 6 } }, keys: ["backend"] } } },
      { sequence: 4, resourcePreEvent: { metadata: { op: "delete-replaced", urn: POOL_URN, old: { inputs: { size: 6 } }, new: null } } },
      { sequence: 5, diagnosticEvent: { urn: POOL_URN, message: "property size has a problem\n", severity: "error" } },
      { sequence: 6, diagnosticEvent: { message: "debug stuff\n", severity: "debug" } },
    ];
    const record = readPreviewRecord(lines.map((l) => JSON.stringify(l)).join("\n"));
    expect(record.format).toBe("events");
    expect(record.violations).toEqual([{ policy: "vm-pool-max-size", level: "mandatory", message: "'size' must be at most 1000 VMs", urn: POOL_URN }]);
    expect(record.errors).toEqual([{ urn: POOL_URN, message: "property size has a problem" }]);
    expect(record.steps.map((s) => [s.op, s.name, s.replaceKeys])).toEqual([["replace", "room12-??", ["backend"]]]);
  });

  it("refuses what is neither shape", () => {
    expect(() => readPreviewRecord("not json")).toThrow();
  });
});

describe("splitUrn", () => {
  it("splits type and name, the name keeping any '::'", () => {
    expect(splitUrn("urn:pulumi:dev::p::parent$pulumi-nodejs:dynamic/vmpools:VmPool::a::b")).toEqual({ type: "pulumi-nodejs:dynamic/vmpools:VmPool", name: "a::b" });
  });
});
