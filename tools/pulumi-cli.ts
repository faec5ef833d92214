/**
 * The plain Pulumi CLI as a user types it, run in an isolated environment:
 * its own `PULUMI_HOME` and `file://` backend in a temp dir, no update check
 * and no plugin downloads, and the tools `npm run setup` built (Node 24,
 * `pulumi`, its Node language host, the dynamic provider shim) first on
 * `PATH`. Used by `npm run demo` and by the end-to-end tests, so both run the
 * examples exactly as a reader of the README would.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** An isolated Pulumi installation state: home, backend and environment. */
export interface IsolatedPulumi {
  /** Root temp dir holding everything below. */
  readonly root: string;
  /** `PULUMI_HOME`. */
  readonly home: string;
  /** `PULUMI_BACKEND_URL`. */
  readonly backendUrl: string;
  /** Environment for every CLI run (merged over `process.env`). */
  readonly env: Record<string, string>;
  /** Removes every file. */
  dispose(): void;
}

/** Options of {@link createIsolatedPulumi}. */
export interface IsolatedPulumiOptions {
  /** Folder with `node`, `pulumi` and the plugins, put first on `PATH` (`.tools/bin` after setup). */
  readonly toolsBin: string;
  /** Passphrase of the passphrase secrets provider. */
  readonly passphrase: string;
  /** Prefix of the temp dir's name. @default "vmpools-pulumi-" */
  readonly prefix?: string;
}

/** Creates an isolated Pulumi home and `file://` backend under a new temp dir. */
export function createIsolatedPulumi(options: IsolatedPulumiOptions): IsolatedPulumi {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? "vmpools-pulumi-"));
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
      PULUMI_CONFIG_PASSPHRASE: options.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // The language host and the dynamic provider shim run `node` from PATH: make it Node 24.
      PATH: `${options.toolsBin}${path.delimiter}${process.env["PATH"] ?? ""}`,
      // The CLI must not pick up a developer's own cluster by accident.
      KUBECONFIG: path.join(root, "no-kubeconfig"),
    },
    dispose: () => {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Writes a project's `Pulumi.yaml` into `dir` (created if need be) with a
 * `node_modules` that resolves `pulumi-vmpools` (the checkout at
 * `repoRoot`) and `@pulumi/pulumi` by package name, as an installed project
 * would, so the program and the dynamic provider host find the package.
 */
export function writeLinkedProject(dir: string, name: string, repoRoot: string, description: string): string {
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
  // JSON strings are YAML strings: a description may hold ": ".
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\ndescription: ${JSON.stringify(description)}\n`);
  fs.symlinkSync(repoRoot, path.join(dir, "node_modules", "pulumi-vmpools"), "dir");
  fs.symlinkSync(path.join(repoRoot, "node_modules", "@pulumi", "pulumi"), path.join(dir, "node_modules", "@pulumi", "pulumi"), "dir");
  return dir;
}

/** One finished CLI run. */
export interface PulumiRun {
  /** The arguments after `pulumi`. */
  readonly args: readonly string[];
  /** Exit code (null when killed by a signal). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run that exited non-zero; carries the whole run for the caller to inspect. */
export class PulumiCommandError extends Error {
  /** The failed run. */
  readonly run: PulumiRun;

  constructor(run: PulumiRun) {
    // Diagnostics go to stdout in the CLI's default display, errors to stderr: keep the tail of both.
    super(`pulumi ${run.args.join(" ")} exited with ${String(run.code)}:\n${tail(run.stdout, 40)}\n${tail(run.stderr, 20)}`);
    this.name = "PulumiCommandError";
    this.run = run;
  }
}

/** Options of {@link runPulumi}. */
export interface RunPulumiOptions {
  /** Resolve with a failed run instead of rejecting. @default false */
  readonly allowFailure?: boolean;
  /** Called with each line of stdout as it arrives (progress for the demo). */
  readonly onLine?: (line: string) => void;
  /** Called with the CLI's process id once it started (the benchmark watches its plugins' memory). */
  readonly onSpawn?: (pid: number) => void;
}

/**
 * Runs `pulumi <args> --non-interactive` in `cwd` with `env` over the
 * process environment. Resolves with the run; rejects with a
 * {@link PulumiCommandError} when it exits non-zero, unless `allowFailure`.
 */
export async function runPulumi(env: Record<string, string>, cwd: string, args: readonly string[], options: RunPulumiOptions = {}): Promise<PulumiRun> {
  const fullArgs = [...args, "--non-interactive"];
  const run = await new Promise<PulumiRun>((resolve, reject) => {
    const child = spawn("pulumi", fullArgs, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid !== undefined) {
      options.onSpawn?.(child.pid);
    }
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (options.onLine !== undefined) {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        lines.forEach(options.onLine);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (options.onLine !== undefined && pending !== "") {
        options.onLine(pending);
      }
      resolve({ args, code, stdout, stderr });
    });
  });
  if (run.code !== 0 && options.allowFailure !== true) {
    throw new PulumiCommandError(run);
  }
  return run;
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
