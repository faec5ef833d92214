/**
 * `npm run demo`: the main job in one command. Starts the oVirt engine
 * sandbox on a free port, runs `examples/ovirt-classroom-pool` (a pool and
 * the students' permission on it) through the plain Pulumi CLI in a stack of
 * its own (`preview` with the policy pack, then `up`), prints the pool, its
 * VMs with their states and who may use it, then `destroy`s and stops.
 *
 * `npm run demo -- --keep` leaves the sandbox and the stack up for exploring,
 * prints how to reach both, and on Ctrl-C destroys the stack and stops.
 *
 * Nothing outside temp dirs is written but the stack's `Pulumi.<stack>.yaml`
 * in the example folder (git-ignored), removed with the stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { SystemClock } from "../sandbox/ovirt-engine/clock";
import { DEMO_TIMINGS } from "../sandbox/ovirt-engine/model";
import { startOvirtSandbox, type OvirtSandbox } from "../sandbox/ovirt-engine/server";
import { createIsolatedPulumi, PulumiCommandError, runPulumi, type IsolatedPulumi } from "./pulumi-cli";

const REPO_ROOT = path.resolve(__dirname, "../..");
const TOOLS_BIN = path.join(REPO_ROOT, ".tools", "bin");
const EXAMPLE = "ovirt-classroom-pool";
/** The demo's engine runs its VM boots and disk copies ten times faster than a small real installation. */
const CLOCK_SPEED = 10;
const STEPS = 6;

/** Options from the command line. */
interface DemoOptions {
  /** Leave the sandbox and the stack up until Ctrl-C. */
  readonly keep: boolean;
  /** VMs in the pool. */
  readonly desks: number;
  /** VMs started ahead. */
  readonly prestarted: number;
}

function parseArgs(argv: readonly string[]): DemoOptions {
  const unknown = argv.filter((a) => a !== "--keep");
  if (unknown.length > 0) {
    throw new Error(`unknown argument ${unknown.join(" ")}; usage: npm run demo [-- --keep]`);
  }
  return { keep: argv.includes("--keep"), desks: 4, prestarted: 2 };
}

function step(n: number, text: string): void {
  console.log(`\n[${n}/${STEPS}] ${text}`);
}

/** Prints the CLI's own progress lines, indented, without blank lines. */
function show(line: string): void {
  if (line.trim() !== "") {
    console.log(`    ${line}`);
  }
}

/** Who may do what on the engine's pools, from its permissions. */
function grantLines(engine: OvirtSandbox): string[] {
  const { store } = engine.control.engine;
  const pools = new Map([...store.pools.values()].map((p) => [p.id, p.name]));
  return [...store.permissions.values()]
    .filter((p) => pools.has(p.objectId))
    .map((p) => {
      const role = store.roles.get(p.roleId)?.name ?? p.roleId;
      const who = p.groupId !== undefined ? `group ${store.groups.get(p.groupId)?.name ?? p.groupId}` : `user ${store.users.get(p.userId ?? "")?.principal ?? String(p.userId)}`;
      return `    ${role} for ${who} on pool ${pools.get(p.objectId) ?? p.objectId}`;
    });
}

/** The pool and its VMs as the engine has them now, as a short table. */
function poolTable(engine: OvirtSandbox): string {
  const rows: string[][] = [["VM", "STATUS", "HELD BY"]];
  const pools = engine.control.pools();
  for (const pool of pools) {
    for (const vm of pool.vms) {
      rows.push([vm.name, vm.status, vm.users.join(", ") || "-"]);
    }
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const header = pools.map((p) => `pool ${p.name} (id ${p.id}): ${p.size} VMs, ${p.prestartedVms} prestarted`).join("\n    ");
  return [`    ${header}`, ...rows.map((r) => `    ${r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")}`)].join("\n");
}

/** Waits until `count` VMs are up, or 30 s have passed. */
async function waitForUp(engine: OvirtSandbox, count: number): Promise<void> {
  const up = (): number => engine.control.pools().reduce((n, p) => n + p.vms.filter((vm) => vm.status === "up").length, 0);
  for (let waited = 0; up() < count && waited < 30_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function requireTools(): void {
  const missing = ["node", "pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"].filter((t) => !fs.existsSync(path.join(TOOLS_BIN, t)));
  if (missing.length > 0) {
    throw new Error(`${missing.join(", ")} missing from ${TOOLS_BIN}; run 'npm run setup' first`);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  requireTools();
  const exampleDir = path.join(REPO_ROOT, "examples", EXAMPLE);

  step(1, "starting the oVirt engine sandbox");
  const engine = await startOvirtSandbox({ port: 0, clock: new SystemClock(CLOCK_SPEED), timings: DEMO_TIMINGS });
  const pulumi: IsolatedPulumi = createIsolatedPulumi({ toolsBin: TOOLS_BIN, passphrase: "vmpools-demo", prefix: "vmpools-demo-" });
  const caFile = path.join(pulumi.root, "engine-ca.pem");
  fs.writeFileSync(caFile, engine.caPem ?? "");
  console.log(`    API ${engine.url} (${engine.credentials.username} / ${engine.credentials.password}), CA file ${caFile}`);

  const stack = `demo-${path.basename(pulumi.root).slice(-6).toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
  const cli = (args: readonly string[], progress = false): ReturnType<typeof runPulumi> =>
    runPulumi(pulumi.env, exampleDir, args, progress ? { onLine: show } : {});
  let stackCreated = false;
  const cleanUp = async (): Promise<void> => {
    if (stackCreated) {
      step(STEPS, "pulumi destroy");
      await cli(["destroy", "--yes"], true);
      await cli(["stack", "rm", "--yes", "--stack", stack]);
      fs.rmSync(path.join(exampleDir, `Pulumi.${stack}.yaml`), { force: true });
    }
    await engine.close();
    pulumi.dispose();
    console.log(`    the stack and the sandbox are gone; ${engine.control.pools().length} pools left on the engine`);
  };

  try {
    step(2, `stack ${stack} of examples/${EXAMPLE}, state in ${pulumi.backendUrl}`);
    await cli(["stack", "init", stack]);
    stackCreated = true;
    const settings: [string, string][] = [
      ["vmpools:ovirtUrl", engine.url],
      ["vmpools:ovirtUsername", engine.credentials.username],
      ["vmpools:ovirtCaFile", caFile],
      ["desks", String(options.desks)],
      ["prestarted", String(options.prestarted)],
    ];
    for (const [key, value] of settings) {
      await cli(["config", "set", key, value]);
      console.log(`    pulumi config set ${key} ${value}`);
    }
    await cli(["config", "set", "--secret", "vmpools:ovirtPassword", engine.credentials.password]);
    console.log("    pulumi config set --secret vmpools:ovirtPassword [secret]");

    step(3, "pulumi preview, reviewed by the policy pack (policies/)");
    await cli(["preview", "--policy-pack", path.join(REPO_ROOT, "policies")], true);
    step(4, "pulumi up");
    await cli(["up", "--yes"], true);
    step(5, "the pool on the engine (live)");
    console.log(poolTable(engine));
    // The engine starts prestarted VMs from its pool monitor, every 5 minutes
    // by default (VmPoolMonitorIntervalInMinutes): run one cycle now rather
    // than wait, and watch them boot.
    console.log("    the engine's pool monitor starts the prestarted VMs (one cycle, run now):");
    engine.control.runPrestartMonitor();
    await waitForUp(engine, options.prestarted);
    console.log(poolTable(engine));
    console.log(["    who may use it:", ...grantLines(engine)].join("\n"));
  } catch (err) {
    await cleanUp().catch(() => undefined);
    throw err;
  }

  if (!options.keep) {
    await cleanUp();
    return;
  }
  console.log(
    [
      "",
      "Kept running. In another shell:",
      `    export PATH="${TOOLS_BIN}:$PATH" PULUMI_HOME="${pulumi.home}" PULUMI_BACKEND_URL="${pulumi.backendUrl}" PULUMI_CONFIG_PASSPHRASE=vmpools-demo`,
      `    cd ${exampleDir} && pulumi stack select ${stack} && pulumi stack output`,
      `    curl --cacert ${caFile} -u '${engine.credentials.username}:${engine.credentials.password}' -H 'Accept: application/json' ${engine.url}/vmpools`,
      `    the sandbox's own view: ${engine.origin}/__sandbox/state`,
      "Ctrl-C destroys the stack and stops the sandbox.",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await cleanUp();
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof PulumiCommandError || err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
