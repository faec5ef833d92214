/**
 * A Pulumi project of `VmPool`s on the engine sandbox, run with the plain
 * CLI as users run theirs (the Node language host, a JavaScript program, an
 * isolated `PULUMI_HOME` and `file://` backend), timed, and with the dynamic
 * provider process's peak memory watched through `/proc`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { createIsolatedPulumi, runPulumi, writeLinkedProject, type IsolatedPulumi } from "../../tools/pulumi-cli";
import { watchPeakMemory } from "./proc-memory";

const REPO_ROOT = path.resolve(__dirname, "../../..");

/**
 * The program: `pools` pools (one named `prefix`, else `prefix-0` ..), each
 * of `size` VMs cloned from the seed's template, with a description.
 */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { VmPool } = require("pulumi-vmpools");
const config = new pulumi.Config();
const pools = config.getNumber("pools") ?? 1;
const prefix = config.require("prefix");
for (let i = 0; i < pools; i++) {
  new VmPool(pools === 1 ? prefix : prefix + "-" + i, {
    size: config.requireNumber("size"),
    description: config.get("description") ?? "",
    prestarted: 0,
    backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop" },
  });
}
`;

/** One timed CLI run. */
export interface TimedRun {
  /** Wall time of the whole CLI run, in ms. */
  readonly ms: number;
  /** Peak resident set of the dynamic provider process, in KiB (0 if it never started). */
  readonly providerPeakKiB: number;
  /** The CLI's exit code. */
  readonly code: number | null;
  /** The tail of its output, for failures. */
  readonly tail: string;
}

/** How to reach the engine. */
export interface EngineAccess {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly caFile: string;
}

/** A project folder with one stack, configured for the engine. */
export class PoolsProject {
  private constructor(
    private readonly pulumi: IsolatedPulumi,
    readonly dir: string,
    readonly stack: string,
  ) {}

  /** Writes the project, creates its stack and sets the engine's config (the password as a secret). */
  static async create(engine: EngineAccess, config: Record<string, string>): Promise<PoolsProject> {
    const pulumi = createIsolatedPulumi({ toolsBin: path.join(REPO_ROOT, ".tools", "bin"), passphrase: "bench", prefix: "vmpools-bench-" });
    const dir = path.join(pulumi.root, "project");
    writeLinkedProject(dir, "vmpools-bench", REPO_ROOT, "pulumi-vmpools benchmark");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "vmpools-bench", private: true, main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    const project = new PoolsProject(pulumi, dir, "bench");
    await project.cli(["stack", "init", project.stack]);
    await project.setConfig({ "vmpools:ovirtUrl": engine.url, "vmpools:ovirtUsername": engine.username, "vmpools:ovirtCaFile": engine.caFile, ...config });
    await project.cli(["config", "set", "--secret", "vmpools:ovirtPassword", engine.password]);
    return project;
  }

  private async cli(args: readonly string[]): Promise<void> {
    await runPulumi(this.pulumi.env, this.dir, args);
  }

  /** Sets plain stack config values. */
  async setConfig(values: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      await this.cli(["config", "set", key, value]);
    }
  }

  /** Runs `pulumi <args>`, timing it and watching the provider process's memory. */
  async run(args: readonly string[]): Promise<TimedRun> {
    let watcher: ReturnType<typeof watchPeakMemory> | undefined;
    const start = performance.now();
    const run = await runPulumi(this.pulumi.env, this.dir, args, {
      allowFailure: true,
      onSpawn: (pid) => {
        watcher = watchPeakMemory(pid, /dynamic-provider/);
      },
    });
    const ms = performance.now() - start;
    const peak = watcher?.stop();
    const tail = `${run.stdout}\n${run.stderr}`.trimEnd().split("\n").slice(-30).join("\n");
    return { ms, providerPeakKiB: peak?.peakKiB ?? 0, code: run.code, tail };
  }

  /** Removes the stack's state and every file. */
  async dispose(): Promise<void> {
    await runPulumi(this.pulumi.env, this.dir, ["stack", "rm", "--yes", "--force", "--stack", this.stack], { allowFailure: true });
    this.pulumi.dispose();
  }
}
