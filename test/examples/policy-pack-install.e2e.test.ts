/**
 * The policy pack as a user who installed `pulumi-vmpools` runs it:
 * `pulumi preview --policy-pack node_modules/pulumi-vmpools/policies`, with
 * nothing built. The package is laid out in a project's `node_modules`
 * exactly as `npm pack` would ship it (the files it lists, copied), beside
 * only the packages it declares as dependencies. Guards: the pack ships with
 * the package and its runtime dependencies are real dependencies.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runPulumi } from "../../tools/pulumi-cli";
import { createPulumiSandbox, type PulumiSandbox } from "../harness/pulumi";
import { readPrintedViolations } from "../harness/policy-stack";
import { missingTools, REPO_ROOT } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;

/** The files `npm pack` would put in the package tarball (after `npm run build`). */
function listPackedFiles(): string[] {
  const run = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO_ROOT, encoding: "utf8" });
  if (run.status !== 0) {
    throw new Error(`npm pack --dry-run failed: ${run.stderr}`);
  }
  const [packed] = JSON.parse(run.stdout) as { files: { path: string }[] }[];
  return (packed?.files ?? []).map((f) => f.path);
}

describe.skipIf(skip)("the policy pack installed with the package", () => {
  let sandbox: PulumiSandbox;
  let project: string;
  let files: string[];

  beforeAll(async () => {
    sandbox = createPulumiSandbox();
    files = listPackedFiles();
    // GIVEN a project with pulumi-vmpools installed from its packed files and its declared dependencies only
    project = path.join(sandbox.root, "user-project");
    const installed = path.join(project, "node_modules", "pulumi-vmpools");
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, file), path.join(installed, file));
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies)) {
      const link = path.join(project, "node_modules", dependency);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules", dependency), link, "dir");
    }
    const fixture = path.join(REPO_ROOT, "test", "fixtures", "policy-stacks", "advisory-only");
    for (const file of ["Pulumi.yaml", "index.ts"]) {
      fs.copyFileSync(path.join(fixture, file), path.join(project, file));
    }
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, dependencies: { "pulumi-vmpools": "0.1.0" } }));
    const env = { ...sandbox.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    await runPulumi(env, project, ["stack", "init", "dev"]);
    await runPulumi(env, project, ["config", "set", "vmpools:verifyReferences", "false"]);
  });

  afterAll(() => {
    sandbox?.dispose();
  });

  it("ships the pack compiled, with its project files, and the review command", () => {
    expect(files).toEqual(expect.arrayContaining(["policies/PulumiPolicy.yaml", "policies/package.json", "dist/policies/index.js", "dist/policies/pack.js", "dist/policies/review/main.js"]));
    // No TypeScript to compile, no tests, no sandbox.
    expect(files.filter((f) => (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.startsWith("test/") || f.startsWith("dist/sandbox/"))).toEqual([]);
    expect(fs.readFileSync(path.join(REPO_ROOT, "dist", "policies", "review", "main.js"), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it("runs from node_modules/pulumi-vmpools/policies with nothing built", async () => {
    const run = await runPulumi({ ...sandbox.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, project, ["preview", "--policy-pack", "node_modules/pulumi-vmpools/policies"]);
    expect(run.stdout).toContain("vmpools@v0.1.0 (local: node_modules/pulumi-vmpools/policies)");
    expect(readPrintedViolations(run.stdout).map((v) => `${v.level} ${v.policy}`).sort()).toEqual([
      "advisory pool-has-user-permission",
      "advisory vm-pool-delete-protection",
      "advisory vm-pool-no-high-performance",
    ]);
  });
});
