/**
 * The review summary of a real preview: a stack whose state is imported
 * (pools with VMs, some held by users, and permissions, as the provider
 * writes them after `up`), changed by its program, previewed with the pack
 * through the plain CLI in both of `pulumi preview --json`'s shapes, then
 * turned into Markdown by `pulumi-vmpools-review`. Guards: violations come
 * first, then shrinks with the VMs that go, replacements and deletions with
 * the VMs users hold, and permission changes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readPreviewRecord } from "../../policies/review/preview-record";
import { renderReview } from "../../policies/review/render-review";
import { createPulumiSandbox, type PulumiSandbox } from "../harness/pulumi";
import { openPolicyStack, POLICY_PACK_DIR, type PolicyStack } from "../harness/policy-stack";
import { missingTools, REPO_ROOT } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;

const URN = "urn:pulumi:review::review-change::";
const PROVIDER_URN = `${URN}pulumi:providers:pulumi-nodejs::default`;
const PROVIDER_ID = "5c4b4b7e-0000-4000-8000-000000000001";

/** VMs `<prefix>01..<count>`, the ones listed `up`, the rest `down`. */
function vms(prefix: string, count: number, up: readonly number[]): { id: string; name: string; status: string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: `vm-${prefix}${i + 1}`, name: `${prefix}${String(i + 1).padStart(2, "0")}`, status: up.includes(i + 1) ? "up" : "down" }));
}

/** What the provider's outputs add for each existing pool, by resource name: ids, VMs, usage. */
const POOL_STATE: Record<string, Record<string, unknown>> = {
  "room12-??": { uid: "pool-room12", vms: vms("room12-", 6, [1, 2, 4]), vmCount: 6, runningVmCount: 3, prestartedVmCount: 1, takenVmCount: 2 },
  "lab-??": { uid: "pool-lab", vms: vms("lab-", 10, [1, 2, 3]), vmCount: 10, runningVmCount: 3, prestartedVmCount: 0, takenVmCount: 3 },
  "old-room-??": { uid: "pool-old-room", vms: vms("old-room-", 8, []), vmCount: 8, runningVmCount: 0, prestartedVmCount: 0, takenVmCount: 0 },
};

interface DigestStep {
  urn: string;
  newState?: { type: string; inputs?: Record<string, unknown>; parent?: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]> };
}

/**
 * The deployment an `up` of the `before` stage would have written, built
 * from that stage's preview (inputs, `__provider` and dependencies as the
 * engine computed them) and {@link POOL_STATE}.
 */
function toDeployment(steps: readonly DigestStep[]): unknown {
  const resources: Record<string, unknown>[] = [];
  for (const step of steps) {
    const state = step.newState;
    if (state === undefined) {
      continue;
    }
    const name = step.urn.split("::").pop() ?? "";
    if (state.type === "pulumi:pulumi:Stack") {
      resources.push({ urn: step.urn, custom: false, type: state.type });
      resources.push({ urn: PROVIDER_URN, custom: true, id: PROVIDER_ID, type: "pulumi:providers:pulumi-nodejs", parent: step.urn, inputs: {}, outputs: {} });
      continue;
    }
    const inputs = { ...state.inputs };
    const poolUrn = state.propertyDependencies?.["pool"]?.[0];
    if (poolUrn !== undefined) {
      const poolName = poolUrn.split("::").pop() ?? "";
      inputs["pool"] = { name: poolName, uid: POOL_STATE[poolName]?.["uid"] };
    }
    const extra = POOL_STATE[name] ?? { uid: `perm-${name}`, principalId: `principal-${name}` };
    resources.push({
      urn: step.urn,
      custom: true,
      id: String(extra["uid"]),
      type: state.type,
      inputs,
      outputs: { ...inputs, apiVersion: "v4", ...extra },
      parent: state.parent,
      provider: `${PROVIDER_URN}::${PROVIDER_ID}`,
      dependencies: state.dependencies ?? [],
      propertyDependencies: state.propertyDependencies ?? {},
    });
  }
  return { version: 3, deployment: { manifest: { time: "2026-11-29T00:00:00Z", magic: "", version: "" }, resources } };
}

/** The changes, with how the permission on the replaced pool reads: the event stream does not say which pool a permission depends on. */
const expectChanges = (labPermission: string): string[] => [
  "### Changes to review",
  "",
  "- VmPool `lab-??`: is **replaced** (`backend` changed): its 10 VMs are deleted and created anew, 3 of them held by users now",
  "- VmPool `old-room-??`: is **deleted**: its 8 VMs go, none held by users now",
  "- VmPool `room12-??`: size 6 → 4: 2 VMs go, the newest that are down and free when `up` runs (down now: `room12-06`, `room12-05`); 2 VMs held by users now stay",
  "- PoolPermission `proctor-runs-room12`: is **replaced**: VmPoolAdmin for user `carol@internal-authz` on pool `room12-??` → VmPoolAdmin for user `dave@internal-authz`",
  `- PoolPermission \`students-use-lab\`: is **created**: UserRole for group \`vdi-users\` on ${labPermission}`,
  "",
  "Also: create VmPool `kiosk` (2 VMs); replace PoolPermission `students-use-room12` (planned while its pool's outputs are unknown; nothing changes unless the pool is recreated).",
  "",
];

describe.skipIf(skip)("the review summary of a recorded pulumi preview --json", () => {
  let sandbox: PulumiSandbox;
  let stack: PolicyStack;
  let events = "";
  let digest = "";

  beforeAll(async () => {
    sandbox = createPulumiSandbox();
    stack = await openPolicyStack(sandbox, "review-change");
    // GIVEN the before stage as the stack's state
    await stack.pulumi(["config", "set", "stage", "before"]);
    const before = JSON.parse((await stack.pulumi(["preview", "--json"])).stdout) as { steps: DigestStep[] };
    const stateFile = path.join(sandbox.root, "before-state.json");
    fs.writeFileSync(stateFile, JSON.stringify(toDeployment(before.steps)));
    await stack.pulumi(["stack", "import", "--file", stateFile]);
    // WHEN the after stage is previewed with the pack, in both JSON shapes
    await stack.pulumi(["config", "set", "stage", "after"]);
    const preview = ["preview", "--json", "--policy-pack", POLICY_PACK_DIR];
    events = (await stack.pulumi(preview, { allowFailure: true }, { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" })).stdout;
    digest = (await stack.pulumi(preview, { allowFailure: true })).stdout;
  });

  afterAll(() => {
    sandbox?.dispose();
  });

  it("summarizes the event stream: violations first, then the changes a reviewer must see", () => {
    expect(renderReview(readPreviewRecord(events))).toBe(
      [
        "## pulumi-vmpools review of stack `review`",
        "",
        "**The preview fails**: 1 mandatory violation, 1 advisory warning.",
        "",
        "### Policy violations",
        "",
        "| Level | Policy | Resource | Violation |",
        "| --- | --- | --- | --- |",
        "| mandatory | `vm-pool-max-vms-per-user` | VmPool `kiosk` | 'maxVmsPerUser' must not exceed the pool's size (2): a user cannot hold more VMs than the pool has (got 3) |",
        "| advisory | `pool-has-user-permission` | VmPool `kiosk` | A pool must give at least one user or group UserRole through a PoolPermission, or nobody may use it: 'kiosk' has none in this stack |",
        "",
        ...expectChanges("a pool still to be created"),
      ].join("\n"),
    );
  });

  it("summarizes the digest the same, saying where its violations went", () => {
    expect(renderReview(readPreviewRecord(digest))).toBe(
      [
        "## pulumi-vmpools review of stack `review`",
        "",
        "**The preview fails.**",
        "",
        "### Policy violations",
        "",
        "Not in this file: `pulumi preview --json` leaves policy violations out. Record the preview as an event stream to have them here:",
        "`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json --policy-pack <pack> > preview.json`.",
        "",
        ...expectChanges("pool `lab-??`"),
      ].join("\n"),
    );
  });

  it("is the pulumi-vmpools-review command's output", () => {
    const file = path.join(sandbox.root, "preview.json");
    fs.writeFileSync(file, events);
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "policies", "review", "main.js"), file], { encoding: "utf8" });
    expect([run.status, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toBe(renderReview(readPreviewRecord(events)));
  });
});
