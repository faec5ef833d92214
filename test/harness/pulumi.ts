/**
 * Runs the real Pulumi CLI on a project in a temp dir, fully offline: a
 * `file://` backend, an isolated `PULUMI_HOME`, no update check and no plugin
 * downloads. Programs are inline Automation API programs; the CLI runs them
 * through its `--client` language runtime, so the Node language host is not
 * needed (its Go module is not served by the Go proxy here, see README).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";

import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";

import { REPO_ROOT, TOOLS_BIN } from "./tools";

/** The compiled package, loaded natively so Pulumi's closure serializer sees plain Node code, never test transforms. */
export const vmpools = createRequire(__filename)("pulumi-vmpools") as typeof import("../../provider");

/** An isolated Pulumi installation state: home, backend and environment. */
export interface PulumiSandbox {
  /** Root temp dir holding everything below. */
  readonly root: string;
  /** `PULUMI_HOME`. */
  readonly home: string;
  /** `PULUMI_BACKEND_URL`. */
  readonly backendUrl: string;
  /** Environment for every CLI run. */
  readonly env: Record<string, string>;
  /** Removes every file. */
  dispose(): void;
}

/** Passphrase for the passphrase secrets provider in tests. */
export const TEST_PASSPHRASE = "vmpools-test-passphrase";

/** Creates an isolated Pulumi home and `file://` backend. */
export function createPulumiSandbox(): PulumiSandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-pulumi-"));
  const home = path.join(root, "home");
  const backend = path.join(root, "backend");
  fs.mkdirSync(home);
  fs.mkdirSync(backend);
  const backendUrl = `file://${backend}`;
  return {
    root,
    home,
    backendUrl,
    env: {
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // The dynamic provider shim runs `node` from PATH: make it Node 24.
      PATH: `${TOOLS_BIN}:${process.env["PATH"] ?? ""}`,
      // The CLI must not pick up a developer's own cluster by accident.
      KUBECONFIG: path.join(root, "no-kubeconfig"),
    },
    dispose: () => {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Writes a Pulumi project into `dir`: `Pulumi.yaml` and a `node_modules`
 * that resolves `pulumi-vmpools` and `@pulumi/pulumi` by package name, as an
 * installed project would, so the provider host finds the runtime.
 */
export function writeProject(dir: string, name: string): string {
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\ndescription: pulumi-vmpools test project\n`);
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "pulumi-vmpools"), "dir");
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"), path.join(dir, "node_modules", "@pulumi", "pulumi"), "dir");
  return dir;
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

/** Runs the Pulumi CLI itself in `dir` with the sandbox environment; resolves with stdout, rejects with stderr. */
export async function runPulumiCli(sandbox: PulumiSandbox, dir: string, args: string[]): Promise<string> {
  const pulumi = path.join(TOOLS_BIN, "pulumi");
  return new Promise((resolve, reject) => {
    execFile(pulumi, [...args, "--non-interactive"], { cwd: dir, env: { ...process.env, ...sandbox.env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`pulumi ${args.join(" ")} failed: ${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
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
  const text = await runPulumiCli(sandbox, dir, ["stack", "export", "--stack", stackName]);
  const parsed = JSON.parse(text) as { deployment?: { resources?: ExportedResource[] } };
  return { text, resources: parsed.deployment?.resources ?? [] };
}
