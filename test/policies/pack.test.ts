/**
 * The pack as a whole: every rule named after its file, described and
 * configured the same way, matched by type token, and runnable without the
 * policy server (this file imports `pack.ts`; importing `index.ts` would
 * start the server).
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { describe, expect, it } from "vitest";

import { createPackArgs, PACK_NAME, POLICIES } from "../../policies/pack";
import type { PackResourcePolicy } from "../../policies/lib/define-policy";
import { VmPool, VM_POOL_TYPE } from "../../provider/vm-pool";
import { runResourcePolicy, TYPES } from "../harness/policy-harness";
import { REPO_ROOT } from "../harness/tools";

const RULES_DIR = path.join(REPO_ROOT, "policies", "rules");

describe("the policy pack", () => {
  it("has one policy per file in policies/rules, each named after its file", () => {
    const files = fs.readdirSync(RULES_DIR).map((f) => f.replace(/\.ts$/, "")).sort();
    expect(POLICIES.map((p) => p.name).sort()).toEqual(files);
  });

  it.each(POLICIES.map((p) => [p.name, p] as const))("%s is kebab-case, says what it checks, and has a severity and a default level", (_name, policy) => {
    expect(policy.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(policy.description).toMatch(/^Checks whether /);
    expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
    expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
  });

  it.each(POLICIES.map((p) => [p.name, p] as const))("%s has a typed config whose every setting has a default the engine fills in", (_name, policy) => {
    const defaults = policy.config.parse({});
    const properties = policy.configSchema?.properties ?? {};
    expect(Object.keys(properties).sort()).toEqual(Object.keys(defaults).sort());
    for (const [key, schema] of Object.entries(properties)) {
      expect(typeof schema === "object" && schema.default).toEqual(defaults[key]);
    }
    // enforcementLevel is the engine's own key and may not be declared.
    expect(properties).not.toHaveProperty("enforcementLevel");
  });

  it("is named so the engine accepts it, with advisory for policies without a level of their own", () => {
    expect(PACK_NAME).toMatch(/^[a-zA-Z0-9-_.]{1,100}$/);
    expect(createPackArgs()).toMatchObject({ enforcementLevel: "advisory", policies: [...POLICIES] });
  });

  it("keeps policies/package.json's version in step with the package's, which the engine reports", () => {
    const read = (file: string): { version: string } => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")) as { version: string };
    expect(read("policies/package.json").version).toBe(read("package.json").version);
  });

  it("matches resources by type token, because validateResourceOfType(VmPool, ...) would never fire", () => {
    // A dynamic.Resource subclass has no static __pulumiType, and its
    // isInstance checks a brand rather than the type (house style §4), so the
    // server's isTypeOf could never say yes for it.
    expect(Object.prototype.hasOwnProperty.call(VmPool, "__pulumiType")).toBe(false);
    expect(VmPool.isInstance({ __pulumiType: VM_POOL_TYPE })).toBe(false);
  });

  const resourcePolicies = POLICIES.filter((p): p is PackResourcePolicy => "resourceType" in p);
  const otherTypes = [TYPES.pool, TYPES.cluster, TYPES.permission, "pulumi:pulumi:Stack"];

  it.each(resourcePolicies.map((p) => [p.name, p] as const))("%s does not apply to other resource types", async (_name, policy) => {
    for (const type of otherTypes.filter((t) => t !== policy.resourceType)) {
      expect(await runResourcePolicy(policy, { type, props: {} })).toEqual({ violations: [], notApplicable: `checks ${policy.resourceType} only` });
    }
  });
});
