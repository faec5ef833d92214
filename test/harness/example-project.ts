/**
 * An example folder run in place with the plain Pulumi CLI, as a user runs a
 * project: `Pulumi.yaml`, `package.json` and `index.ts`, the Node language
 * host compiling TypeScript, `pulumi-vmpools` resolved through the
 * repository's npm workspaces. Each run uses a stack name of its own, so
 * several tests (and a developer's own `dev` stack) can share the folder; the
 * stack's `Pulumi.<stack>.yaml` is removed on dispose.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { runPulumi, type PulumiRun, type RunPulumiOptions } from "../../tools/pulumi-cli";
import { ovirtStackConfig, type EngineUnderTest } from "./ovirt-engine";
import { exportState, type ExportedResource, type PulumiSandbox } from "./pulumi";
import { REPO_ROOT } from "./tools";

/** An example project under `examples/` and the stack a test uses in it. */
export interface ExampleProject {
  /** The project folder. */
  readonly dir: string;
  /** This test's stack name (unique per open). */
  readonly stack: string;
  /** Runs `pulumi <args>` in the folder; rejects on a non-zero exit unless `allowFailure`. */
  pulumi(args: readonly string[], options?: RunPulumiOptions): Promise<PulumiRun>;
  /** `pulumi stack output --json`: the stack's outputs, secrets masked. */
  outputs(): Promise<Record<string, unknown>>;
  /** `pulumi stack export` without `--show-secrets`: what anyone with access to the backend sees. */
  exportState(): Promise<{ text: string; resources: ExportedResource[] }>;
  /** Removes the stack (forcing, in case a test failed half-way) and its config file. */
  dispose(): Promise<void>;
}

/**
 * Opens `examples/<name>` (or the repository root, for `"."`) for the plain
 * CLI in `sandbox`. Nothing is run yet: the test types `pulumi stack init`
 * itself, as the README does.
 */
export function openExample(sandbox: PulumiSandbox, name: string): ExampleProject {
  const dir = name === "." ? REPO_ROOT : path.join(REPO_ROOT, "examples", name);
  if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
    throw new Error(`${dir} is not a Pulumi project (no Pulumi.yaml)`);
  }
  const stack = `t${crypto.randomBytes(4).toString("hex")}`;
  const pulumi = (args: readonly string[], options?: RunPulumiOptions): Promise<PulumiRun> => runPulumi(sandbox.env, dir, args, options);
  return {
    dir,
    stack,
    pulumi,
    outputs: async () => JSON.parse((await pulumi(["stack", "output", "--json", "--stack", stack])).stdout) as Record<string, unknown>,
    exportState: () => exportState(sandbox, dir, stack),
    dispose: async () => {
      await pulumi(["stack", "rm", "--yes", "--force", "--stack", stack], { allowFailure: true });
      fs.rmSync(path.join(dir, `Pulumi.${stack}.yaml`), { force: true });
    },
  };
}

/** Points the project's stack at the engine under test with `pulumi config set`, the password `--secret`, as the README does. */
export async function configureOvirtStack(project: ExampleProject, under: EngineUnderTest): Promise<void> {
  for (const [key, { value, secret }] of Object.entries(ovirtStackConfig(under))) {
    await project.pulumi(["config", "set", ...(secret === true ? ["--secret"] : []), key, value]);
  }
}
