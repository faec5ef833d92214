import { describe, expect, it } from "vitest";

import type { PlannedStep, PreviewRecord, StepState } from "../../../policies/review/preview-record";
import { renderReview } from "../../../policies/review/render-review";

const POOL = "pulumi-nodejs:dynamic/vmpools:VmPool";

function state(inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): StepState {
  return { inputs, outputs, propertyDependencies: {} };
}

function poolStep(name: string, op: string, old: StepState | undefined, next: StepState | undefined): PlannedStep {
  return { op, urn: `urn:pulumi:dev::lab::${POOL}::${name}`, type: POOL, name, old, new: next, replaceKeys: [] };
}

function record(steps: PlannedStep[]): PreviewRecord {
  return { format: "events", violations: [], errors: [], steps };
}

describe("renderReview", () => {
  it("says so when nothing needs a reviewer's eye", () => {
    expect(renderReview(record([poolStep("a", "same", state({ size: 2 }), state({ size: 2 }))]))).toBe(
      [
        "## pulumi-vmpools review of stack `dev`",
        "",
        "The preview passes: no mandatory violations, 0 advisory warnings.",
        "",
        "### Policy violations",
        "",
        "None.",
        "",
        "### Changes to review",
        "",
        "None: no pool changes size, is replaced or deleted, and no permission changes.",
        "",
        "Nothing else changes.",
        "",
      ].join("\n"),
    );
  });

  it.each([
    // A grow.
    { old: state({ size: 2 }, { size: 2 }), next: state({ size: 5 }), line: "- VmPool `a`: size 2 → 5: 3 VMs added" },
    // A KubeVirt shrink: no per-VM state, KubeVirt picks.
    { old: state({ size: 5, backend: { kind: "kubevirt" } }, { size: 5, backend: { kind: "kubevirt" } }), next: state({ size: 3 }), line: "- VmPool `a`: size 5 → 3: 2 VMs go (KubeVirt picks which)" },
    // An oVirt shrink with fewer VMs down than it needs: it fails unless forced.
    {
      old: state({ size: 3 }, { size: 3, vms: [{ name: "a-1", status: "down" }, { name: "a-2", status: "up" }, { name: "a-3", status: "up" }], takenVmCount: 2 }),
      next: state({ size: 1 }),
      line: "- VmPool `a`: size 3 → 1: 2 VMs go, the newest that are down and free when `up` runs (down now: `a-1`); only 1 is down now, so the shrink fails unless `forceShrink` is set; 2 VMs held by users now stay",
    },
    // A size still unknown.
    { old: state({ size: 3 }, { size: 3 }), next: state({ size: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }), line: "- VmPool `a`: size 3 → unknown until `up`" },
  ])("describes a size change: $line", ({ old, next, line }) => {
    expect(renderReview(record([poolStep("a", "update", old, next)]))).toContain(`\n${line}\n`);
  });

  it("lists mandatory violations before advisory ones, escaping table cells", () => {
    const markdown = renderReview({
      format: "events",
      violations: [
        { policy: "b-rule", level: "advisory", message: "a | b", urn: undefined },
        { policy: "a-rule", level: "mandatory", message: "must", urn: `urn:pulumi:dev::lab::${POOL}::x` },
      ],
      errors: [],
      steps: [],
    });
    expect(markdown).toContain(["| mandatory | `a-rule` | VmPool `x` | must |", "| advisory | `b-rule` | the stack | a \\| b |"].join("\n"));
    expect(markdown).toContain("**The preview fails**: 1 mandatory violation, 1 advisory warning.");
  });
});
