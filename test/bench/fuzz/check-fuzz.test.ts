/**
 * `check()` of every resource fuzzed with generated inputs, briefly (`npm
 * run bench` runs it long): it never throws, every failure names a
 * property, and nothing is sent to any API for inputs the schema rejects,
 * nothing at all with reference checks off, and never a write.
 */
import { describe, expect, it } from "vitest";

import { describeBadFailure } from "../../../bench/fuzz/check-fuzz";
import { formatFuzzReport, runCheckFuzz } from "../../../bench/fuzz/run";

describe("fuzzing check()", () => {
  it("holds its properties for every resource, with reference checks off and on", async () => {
    const reports = await runCheckFuzz({ runs: 150, seed: 20_260_101 });
    const text = reports.map(formatFuzzReport).join("\n");
    expect(reports.map((r) => [r.resource, r.verifyReferences, r.counterexample ?? "ok"]), text).toEqual([
      ["VmPool", false, "ok"],
      ["TrustedCluster", false, "ok"],
      ["PoolPermission", false, "ok"],
      ["VmPool", true, "ok"],
      ["TrustedCluster", true, "ok"],
      ["PoolPermission", true, "ok"],
    ]);
    // The generators reach both sides: inputs check() accepts and inputs it refuses.
    for (const r of reports) {
      expect(r.rejected, text).toBeGreaterThan(0);
      expect(r.inputs, text).toBe(150);
    }
    expect(reports.filter((r) => r.accepted > 0).length, text).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it.each([
    [{ property: "size", reason: "must be 1 or more" }, undefined],
    [{ property: "backend.cluster", reason: "x" }, undefined],
    [{ property: "labels.kubevirt.io/vmpool", reason: "x" }, undefined],
    [{ property: '[""]', reason: "is not a known property" }, undefined],
    [{ property: "", reason: "x" }, 'a failure without a property: {"property":"","reason":"x"}'],
    [{ property: "(inputs)", reason: "x" }, "a failure whose property '(inputs)' is neither an input nor a key of the inputs"],
    [{ property: "size", reason: " " }, "a failure of 'size' without a reason"],
  ])("judges %j as %s", (failure, expected) => {
    expect(describeBadFailure(failure, new Set(["size", "backend", "labels.kubevirt.io/vmpool"]), { "": 1 })).toBe(expected);
  });
});
