/**
 * The real Pulumi CLI driven through the Automation API, for tests where
 * inline programs serve better than project folders (fault injection, many
 * stacks, programs written per test), fully offline: a `file://` backend, an
 * isolated `PULUMI_HOME`, no update check and no plugin downloads. The CLI
 * runs inline programs through its `--client` language runtime; the plain-CLI
 * runs of the examples, through the Node language host, are in
 * `example-project.ts`.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";

import { createIsolatedPulumi, runPulumi, writeLinkedProject, type IsolatedPulumi } from "../../tools/pulumi-cli";
import { REPO_ROOT, TOOLS_BIN } from "./tools";

/** The compiled package, loaded natively so Pulumi's closure serializer sees plain Node code, never test transforms. */
export const vmpools = createRequire(__filename)("pulumi-vmpools") as typeof import("../../provider");

/** An isolated Pulumi installation state: home, backend and environment. */
export type PulumiSandbox = IsolatedPulumi;

/** Passphrase for the passphrase secrets provider in tests. */
export const TEST_PASSPHRASE = "vmpools-test-passphrase";

/** Creates an isolated Pulumi home and `file://` backend, with the tools setup built first on PATH. */
export function createPulumiSandbox(): PulumiSandbox {
  return createIsolatedPulumi({ toolsBin: TOOLS_BIN, passphrase: TEST_PASSPHRASE });
}

/**
 * Writes a Pulumi project into `dir`: `Pulumi.yaml` and a `node_modules`
 * that resolves `pulumi-vmpools` and `@pulumi/pulumi` by package name, as an
 * installed project would, so the provider host finds the runtime.
 */
export function writeProject(dir: string, name: string): string {
  return writeLinkedProject(dir, name, REPO_ROOT, "pulumi-vmpools test project");
}

/** Copies a project folder (not its node_modules, which is linked anew) to `dest`, as a second checkout would. */
export function copyProject(src: string, dest: string, name: string): string {
  writeProject(dest, name);
  for (const file of fs.readdirSync(src)) {
    if (file.startsWith("Pulumi.") && file.endsWith(".yaml") && file !== "Pulumi.yaml") {
      fs.copyFileSync(path.join(src, file), path.join(dest, file));
    }
  }
  return dest;
}

/** Opens (or creates) a stack of the project in `dir` with an inline program. */
export async function openStack(sandbox: PulumiSandbox, dir: string, stackName: string, program: PulumiFn): Promise<Stack> {
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(TOOLS_BIN) });
  const projectName = /^name: (.+)$/m.exec(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"))?.[1];
  if (projectName === undefined) {
    throw new Error(`no project name in ${dir}/Pulumi.yaml`);
  }
  return LocalWorkspace.createOrSelectStack(
    { stackName, projectName, program },
    { workDir: dir, pulumiHome: sandbox.home, envVars: sandbox.env, pulumiCommand },
  );
}

/** A resource in an exported deployment. */
export interface ExportedResource {
  /** Resource URN. */
  urn: string;
  /** Type token. */
  type: string;
  /** Provider-side id. */
  id?: string;
  /** Stored inputs. */
  inputs?: Record<string, unknown>;
  /** Stored outputs. */
  outputs?: Record<string, unknown>;
}

/**
 * The stack's state as `pulumi stack export` prints it, without
 * `--show-secrets`: what anyone with read access to the backend would see.
 */
export async function exportState(sandbox: PulumiSandbox, dir: string, stackName: string): Promise<{ text: string; resources: ExportedResource[] }> {
  const { stdout: text } = await runPulumi(sandbox.env, dir, ["stack", "export", "--stack", stackName]);
  const parsed = JSON.parse(text) as { deployment?: { resources?: ExportedResource[] } };
  return { text, resources: parsed.deployment?.resources ?? [] };
}
