/**
 * Fixture projects for the policy pack (`test/fixtures/policy-stacks/`),
 * run with the plain CLI as a reviewer runs them: copied into a temp folder
 * whose `node_modules` resolves `pulumi-vmpools` to this checkout, a stack of
 * their own with `vmpools:verifyReferences false` (no engine needed for a
 * preview), and `pulumi preview --policy-pack policies` read back as the
 * list of violations the CLI printed.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { runPulumi, type PulumiRun, type RunPulumiOptions } from "../../tools/pulumi-cli";
import { writeProject, type PulumiSandbox } from "./pulumi";
import { REPO_ROOT } from "./tools";

/** The pack in this checkout (its code is the build's `dist/policies`). */
export const POLICY_PACK_DIR = path.join(REPO_ROOT, "policies");

/** A fixture project ready for `pulumi` commands. */
export interface PolicyStack {
  /** The temp project folder. */
  readonly dir: string;
  /** Runs `pulumi <args>` in the folder (TypeScript transpiled only, for speed), with `env` on top of the sandbox's. */
  pulumi(args: readonly string[], options?: RunPulumiOptions, env?: Record<string, string>): Promise<PulumiRun>;
}

/** Copies `test/fixtures/policy-stacks/<scenario>` into the sandbox and creates its stack `review`. */
export async function openPolicyStack(sandbox: PulumiSandbox, scenario: string): Promise<PolicyStack> {
  const source = path.join(REPO_ROOT, "test", "fixtures", "policy-stacks", scenario);
  const dir = writeProject(path.join(sandbox.root, scenario), scenario);
  for (const file of ["Pulumi.yaml", "index.ts"]) {
    fs.copyFileSync(path.join(source, file), path.join(dir, file));
  }
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: scenario, private: true }, null, 2)}\n`);
  const env = { ...sandbox.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
  const stack: PolicyStack = { dir, pulumi: (args, options, extra = {}) => runPulumi({ ...env, ...extra }, dir, args, options) };
  await stack.pulumi(["stack", "init", "review"]);
  await stack.pulumi(["config", "set", "vmpools:verifyReferences", "false"]);
  return stack;
}

/** One violation as the CLI prints it under "Policies:". */
export interface PrintedViolation {
  /** `mandatory` or `advisory`. */
  readonly level: string;
  /** The policy's name. */
  readonly policy: string;
  /** `<type token>: <resource name>`, or the stack's. */
  readonly resource: string;
  /** The violation message. */
  readonly message: string;
}

/**
 * The violations in the CLI's "Policies:" section, in printed order. Each is
 * a line `- [level] [severity: s]  policy  (type: name)`, the policy's
 * description, then the message.
 */
export function readPrintedViolations(stdout: string): PrintedViolation[] {
  const lines = stdout.split("\n");
  const found: PrintedViolation[] = [];
  lines.forEach((line, i) => {
    const match = /^\s+- \[(mandatory|advisory)\](?: \[severity: \w+\])?\s+(\S+)\s+\((.+)\)\s*$/.exec(line);
    if (match !== null) {
      found.push({ level: match[1] ?? "", policy: match[2] ?? "", resource: match[3] ?? "", message: (lines[i + 2] ?? "").trim() });
    }
  });
  return found;
}
