/**
 * `npm run demo` as a newcomer runs it: the compiled demo starts the engine
 * sandbox, runs the oVirt example through the plain CLI, prints the pool's
 * VMs with their states and cleans up; with `--keep` it stays up, reachable
 * as it says, until Ctrl-C. Nothing may be left behind either way.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";

import { describe, expect, it } from "vitest";

import { missingTools, REPO_ROOT } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;
const DEMO = path.join(REPO_ROOT, "dist", "tools", "demo.js");
const EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "ovirt-classroom-pool");

/** A running demo process and everything it printed so far. */
interface DemoRun {
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  readonly signal: (name: NodeJS.Signals) => void;
}

function startDemo(args: string[]): DemoRun {
  if (!fs.existsSync(DEMO)) {
    throw new Error(`${DEMO} is missing: run 'npm run build' (npm test builds first)`);
  }
  const child = spawn(process.execPath, [DEMO, ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return {
    output: () => output,
    exited: new Promise((resolve) => child.once("close", resolve)),
    signal: (name) => child.kill(name),
  };
}

async function waitFor(run: DemoRun, text: string, timeoutMs: number): Promise<void> {
  for (let waited = 0; !run.output().includes(text); waited += 200) {
    if (waited > timeoutMs) {
      throw new Error(`demo did not print '${text}' within ${timeoutMs} ms:\n${run.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The temp dir holding the demo's Pulumi state, from the line that names it. */
function stateRoot(output: string): string {
  const backend = /state in file:\/\/(\S+)\/backend/.exec(output)?.[1];
  if (backend === undefined) {
    throw new Error(`no state folder in the demo's output:\n${output}`);
  }
  return backend;
}

const demoStackFiles = (): string[] => fs.readdirSync(EXAMPLE_DIR).filter((f) => /^Pulumi\.demo-.*\.yaml$/.test(f));

describe.skipIf(skip)("npm run demo", () => {
  it("previews, creates, shows the VMs with their states, destroys and leaves nothing behind", async () => {
    const run = startDemo([]);
    expect(await run.exited).toBe(0);
    const out = run.output();
    for (const heading of ["[1/6] starting the oVirt engine sandbox", "[3/6] pulumi preview, reviewed by the policy pack (policies/)", "[4/6] pulumi up", "[5/6] the pool on the engine (live)", "[6/6] pulumi destroy"]) {
      expect(out).toContain(heading);
    }
    expect(out).toMatch(/pool room12-\?\? \(id [0-9a-f-]{36}\): 4 VMs, 2 prestarted/);
    // After one cycle of the engine's pool monitor, the two prestarted VMs are up and the rest down.
    expect(out).toMatch(/room12-01 +up +-\s+room12-02 +up +-\s+room12-03 +down +-\s+room12-04 +down +-/);
    // The pack reviewed the preview and passed it; the students' permission is on the pool.
    expect(out).toMatch(/Policies:\s+✅ vmpools@v0\.1\.0/);
    expect(out).toContain("who may use it:\n    UserRole for group vdi-users on pool room12-??");
    expect(out).toContain("the stack and the sandbox are gone; 0 pools left on the engine");
    expect(fs.existsSync(stateRoot(out))).toBe(false);
    expect(demoStackFiles()).toEqual([]);
  });

  it("with --keep stays up, reachable as printed, until Ctrl-C, then cleans up", async () => {
    const run = startDemo(["--keep"]);
    try {
      await waitFor(run, "Ctrl-C destroys the stack and stops the sandbox.", 120_000);
      const out = run.output();
      const caFile = /--cacert (\S+)/.exec(out)?.[1] ?? "";
      const stateUrl = /the sandbox's own view: (\S+)/.exec(out)?.[1] ?? "";
      const state = await new Promise<string>((resolve, reject) => {
        https
          .get(stateUrl, { ca: fs.readFileSync(caFile) }, (res) => {
            let body = "";
            res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
            res.on("end", () => {
              resolve(body);
            });
          })
          .on("error", reject);
      });
      const pools = (JSON.parse(state) as { pools: { name: string; size: number }[] }).pools;
      expect(pools.map((p) => [p.name, p.size])).toEqual([["room12-??", 4]]);
      expect(demoStackFiles()).toHaveLength(1);
    } finally {
      run.signal("SIGINT");
    }
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("the stack and the sandbox are gone; 0 pools left on the engine");
    expect(fs.existsSync(stateRoot(run.output()))).toBe(false);
    expect(demoStackFiles()).toEqual([]);
  });
});
