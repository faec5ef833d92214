/**
 * The policy pack through the plain CLI, as a reviewer runs it:
 * `pulumi preview --policy-pack policies [--policy-pack-config file]` on
 * fixture stacks. Guards: a stack breaking mandatory rules fails the preview
 * naming each rule with its resource; a compliant stack passes; advisory
 * rules warn without failing; the config file changes thresholds and
 * levels, and a bad one is refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPulumiSandbox, type PulumiSandbox } from "../harness/pulumi";
import { openPolicyStack, POLICY_PACK_DIR, readPrintedViolations, type PolicyStack } from "../harness/policy-stack";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;

const POOL = "pulumi-nodejs:dynamic/vmpools:VmPool";
const PERMISSION = "pulumi-nodejs:dynamic/vmpools:PoolPermission";

describe.skipIf(skip)("the policy pack through pulumi preview --policy-pack", () => {
  let sandbox: PulumiSandbox;
  let breaking: PolicyStack;
  let compliant: PolicyStack;
  let advisory: PolicyStack;

  /** Writes a --policy-pack-config file into the sandbox. */
  const writeConfig = (name: string, config: unknown): string => {
    const file = path.join(sandbox.root, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  };

  beforeAll(async () => {
    sandbox = createPulumiSandbox();
    [breaking, compliant, advisory] = await Promise.all([openPolicyStack(sandbox, "breaks-mandatory-rules"), openPolicyStack(sandbox, "compliant"), openPolicyStack(sandbox, "advisory-only")]);
  });

  afterAll(() => {
    sandbox?.dispose();
  });

  it("fails a stack that breaks mandatory rules, naming each rule with its resource", async () => {
    const run = await breaking.pulumi(["preview", "--policy-pack", POLICY_PACK_DIR], { allowFailure: true });
    expect(run.code).not.toBe(0);
    const mandatory = readPrintedViolations(run.stdout).filter((v) => v.level === "mandatory");
    expect(mandatory.sort((a, b) => `${a.policy} ${a.resource}`.localeCompare(`${b.policy} ${b.resource}`))).toEqual([
      {
        level: "mandatory",
        policy: "pool-permission-no-admin-to-everyone",
        resource: `${PERMISSION}: everyone-runs-kiosk`,
        message: "'role' must not be an admin role when the group is every user: 'SuperUser' for 'Everyone' lets anyone manage the pool, or more; grant 'Everyone' UserRole at most (got \"SuperUser\")",
      },
      { level: "mandatory", policy: "unique-pool-names", resource: `${POOL}: kiosk-copy`, message: "Pool name 'kiosk' must be unique in the oVirt engine (default connection): resources 'kiosk' and 'kiosk-copy' both use it" },
      { level: "mandatory", policy: "vm-pool-max-size", resource: `${POOL}: hall-???`, message: "'size' must be at most 1000 VMs per pool, the engine's MaxVmsInPool (got 1200); split the pool or raise 'maxVmsInPool' in the policy config" },
      { level: "mandatory", policy: "vm-pool-max-vms-per-user", resource: `${POOL}: kiosk`, message: "'maxVmsPerUser' must not exceed the pool's size (4): a user cannot hold more VMs than the pool has (got 8)" },
      {
        level: "mandatory",
        policy: "vm-pool-names",
        resource: `${POOL}: student-desktop-??`,
        message:
          "'name' makes VM names up to 18 characters long ('student-desktop-20' for a pool of 20); a Windows computer name holds 15, and the engine's sysprep cuts longer VM names to 15 at first boot, so VMs would share computer names, so shorten the name (got \"student-desktop-??\"); template 'win11-desktop' holds Windows ('win*' in 'windowsTemplates')",
      },
      {
        level: "mandatory",
        policy: "vm-pool-prestarted-automatic-only",
        resource: `${POOL}: exam-??`,
        message: "'prestarted' must be 0 for a manual pool: prestarted VMs are for automatic pools, whose VMs return to the pool after use (got 5)",
      },
      { level: "mandatory", policy: "vm-pool-prestarted-within-size", resource: `${POOL}: exam-??`, message: "'prestarted' must be between 0 and the pool's size (3) (got 5)" },
      {
        level: "mandatory",
        policy: "vm-pool-trusted-placement",
        resource: `${POOL}: secure-lab`,
        message: "'trustedCluster' must place this pool in a TrustedCluster: it needs trusted hosts (marked by the VM template annotation vmpools.io/trusted-hosts: required), and only a pool placed in one runs on attested hosts alone",
      },
    ]);
  });

  it("passes a compliant stack with no violation at all", async () => {
    const run = await compliant.pulumi(["preview", "--policy-pack", POLICY_PACK_DIR]);
    expect(readPrintedViolations(run.stdout)).toEqual([]);
    expect(run.stdout).toMatch(/✅ vmpools@v0\.1\.0/);
  });

  it("warns about advisory rules without failing", async () => {
    const run = await advisory.pulumi(["preview", "--policy-pack", POLICY_PACK_DIR]);
    expect(run.code).toBe(0);
    expect(readPrintedViolations(run.stdout).map((v) => `${v.level} ${v.policy} ${v.resource}`).sort()).toEqual([
      `advisory pool-has-user-permission ${POOL}: cad-??`,
      `advisory vm-pool-delete-protection ${POOL}: cad-??`,
      `advisory vm-pool-no-high-performance ${POOL}: cad-??`,
    ]);
  });

  it("takes a lower threshold from --policy-pack-config, failing the compliant stack", async () => {
    const config = writeConfig("small-pools", { "vm-pool-max-size": { maxVmsInPool: 5 } });
    const run = await compliant.pulumi(["preview", "--policy-pack", POLICY_PACK_DIR, "--policy-pack-config", config], { allowFailure: true });
    expect(run.code).not.toBe(0);
    expect(readPrintedViolations(run.stdout)).toEqual([
      { level: "mandatory", policy: "vm-pool-max-size", resource: `${POOL}: exam-??`, message: "'size' must be at most 5 VMs per pool, the engine's MaxVmsInPool (got 10); split the pool or raise 'maxVmsInPool' in the policy config" },
    ]);
  });

  it("takes enforcement levels from --policy-pack-config: an advisory rule made mandatory fails the preview", async () => {
    const config = writeConfig("strict", { "vm-pool-no-high-performance": "mandatory", "pool-has-user-permission": { enforcementLevel: "disabled" } });
    const run = await advisory.pulumi(["preview", "--policy-pack", POLICY_PACK_DIR, "--policy-pack-config", config], { allowFailure: true });
    expect(run.code).not.toBe(0);
    expect(readPrintedViolations(run.stdout).map((v) => `${v.level} ${v.policy}`).sort()).toEqual(["advisory vm-pool-delete-protection", "mandatory vm-pool-no-high-performance"]);
  });

  it("refuses a config the engine finds out of range, and a misspelt setting the engine lets through", async () => {
    const outOfRange = await compliant.pulumi(["preview", "--policy-pack", POLICY_PACK_DIR, "--policy-pack-config", writeConfig("zero", { "vm-pool-max-size": { maxVmsInPool: 0 } })], { allowFailure: true });
    expect(outOfRange.code).not.toBe(0);
    expect(`${outOfRange.stdout}\n${outOfRange.stderr}`).toContain("vm-pool-max-size: maxVmsInPool: Must be greater than or equal to 1");

    const misspelt = await compliant.pulumi(["preview", "--policy-pack", POLICY_PACK_DIR, "--policy-pack-config", writeConfig("typo", { "vm-pool-max-size": { maxVmsInpool: 5 } })], { allowFailure: true });
    expect(misspelt.code).not.toBe(0);
    expect(`${misspelt.stdout}\n${misspelt.stderr}`).toContain(`the configuration of policy 'vm-pool-max-size' is invalid: Unrecognized key: "maxVmsInpool"`);
  });
});
