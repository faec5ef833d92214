/**
 * The fault campaign: randomized `up` / change / `destroy` / `refresh` runs
 * of a program of pools and permissions against the engine sandbox, each
 * with faults injected, each followed by a clean re-run of the same
 * program, the invariants checked after both (see `invariants.ts`). Between
 * runs, users take VMs and the engine's prestart monitor starts some, so
 * shrinks meet VMs in use. Bounded in runs and in time; replayable from its
 * seed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { OvirtClient } from "../../provider/backends/ovirt/client";
import { configure } from "../../provider/runtime";
import { SystemClock } from "../../sandbox/ovirt-engine/clock";
import { TEST_TIMINGS } from "../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../sandbox/ovirt-engine/seed";
import { startOvirtSandbox, type OvirtSandbox } from "../../sandbox/ovirt-engine/server";
import { Deployment, type RunOutcome } from "./deployment";
import { describeFault, drawFaults } from "./faults";
import { checkInvariants, snapshotVms, type Violation } from "./invariants";
import { EMPTY_PROGRAM, grantsInState, mutateProgram, toDesiredResources, toUrn, type ProgramSpec } from "./program";
import { Random } from "./random";

/** How long and how hard to run. */
export interface CampaignOptions {
  /** Runs (each a faulty run and a clean re-run). */
  readonly runs: number;
  readonly seed: number;
  /** Stop starting runs after this long, ms. @default no limit */
  readonly timeBudgetMs?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** What a campaign did and found. */
export interface CampaignSummary {
  readonly seed: number;
  readonly runs: number;
  readonly operations: Record<"up" | "destroy" | "refresh then up", number>;
  /** Fault rules installed, and the requests they hit. */
  readonly faultRules: number;
  readonly faultsInjected: number;
  readonly faultsByKind: Record<string, number>;
  /** Faulty runs in which some resource failed (expected under faults). */
  readonly faultyRunsFailed: number;
  /** Clean re-runs refused only by the safe-shrink rule (VMs in use): expected. */
  readonly shrinksRefused: number;
  /** Invariant checks made (two per run). */
  readonly checks: number;
  readonly violations: readonly (Violation & { readonly run: number; readonly phase: "faulty" | "clean" })[];
  readonly durationMs: number;
  /** The runs asked for were not all made within the time budget. */
  readonly cutShort: boolean;
}

const SHRINK_REFUSED = "cannot shrink from";

/** Inherited permissions a pool permission must never delete: on the cluster, the data center and the system. */
async function seedInheritedPermissions(sandbox: OvirtSandbox, caFile: string): Promise<string[]> {
  const client = new OvirtClient({ url: sandbox.url, username: sandbox.credentials.username, password: sandbox.credentials.password, caFile, insecure: false });
  const ctx = { backend: "ovirt" as const, operation: "seed", resource: "campaign" };
  const ids: string[] = [];
  const grants: [string, Record<string, unknown>][] = [
    [`/clusters/${DEFAULT_SEED_IDS.cluster}/permissions`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.bob } }],
    [`/clusters/${DEFAULT_SEED_IDS.cluster}/permissions`, { role: { name: "VmPoolAdmin" }, user: { id: DEFAULT_SEED_IDS.bob } }],
    [`/datacenters/${DEFAULT_SEED_IDS.dataCenter}/permissions`, { role: { name: "UserRole" }, group: { id: DEFAULT_SEED_IDS.vdiUsers } }],
    [`/datacenters/${DEFAULT_SEED_IDS.dataCenter}/permissions`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } }],
  ];
  for (const [where, body] of grants) {
    ids.push(((await client.call(ctx, "POST", where, { body, idempotent: true })).body as { id: string }).id);
  }
  client.close();
  const system = [...sandbox.control.engine.store.permissions.values()].filter((p) => p.objectType === "system").map((p) => p.id);
  return [...ids, ...system];
}

/** Users act between runs: take a VM now and then; the prestart monitor runs now and then. */
function actAsUsers(sandbox: OvirtSandbox, rng: Random): void {
  const pools = sandbox.control.pools().filter((p) => !p.beingDestroyed);
  if (pools.length > 0 && rng.chance(0.4)) {
    try {
      sandbox.control.takeVm({ pool: rng.pick(pools).name }, rng.pick(["alice", "bob"]));
    } catch {
      // No free VM: nothing to take.
    }
  }
  if (rng.chance(0.3)) {
    sandbox.control.runPrestartMonitor();
  }
}

/** A program whose refused shrinks are given up: the pool keeps the size it has, as a user would then declare. */
function acceptRefusals(program: ProgramSpec, outcome: RunOutcome, deployment: Deployment): ProgramSpec {
  const refused = [...outcome.errors].filter(([, message]) => message.includes(SHRINK_REFUSED)).map(([urn]) => urn);
  return {
    ...program,
    pools: program.pools.map((p) => {
      const entry = deployment.entries().find((e) => e.urn === toUrn("VmPool", p.name));
      return refused.includes(toUrn("VmPool", p.name)) && typeof entry?.outputs["size"] === "number" ? { ...p, size: entry.outputs["size"] } : p;
    }),
  };
}

/** Runs the campaign; resolves with its summary (violations included, never thrown). */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const started = performance.now();
  const log = options.log ?? ((): void => undefined);
  const rng = new Random(options.seed);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-chaos-"));
  const sandbox = await startOvirtSandbox({ clock: new SystemClock(), timings: TEST_TIMINGS, prestartMonitor: false });
  const caFile = path.join(scratch, "ca.pem");
  fs.writeFileSync(caFile, sandbox.caPem ?? "");
  const config: Record<string, string> = { ovirtUrl: sandbox.url, ovirtUsername: sandbox.credentials.username, ovirtPassword: sandbox.credentials.password, ovirtCaFile: caFile };
  configure((key) => config[key]);
  const operations = { up: 0, destroy: 0, "refresh then up": 0 };
  const faultsByKind: Record<string, number> = {};
  const violations: (Violation & { run: number; phase: "faulty" | "clean" })[] = [];
  let faultRules = 0;
  let faultsInjected = 0;
  let faultyRunsFailed = 0;
  let shrinksRefused = 0;
  let checks = 0;
  let runs = 0;
  let keys = 0;
  try {
    const inherited = await seedInheritedPermissions(sandbox, caFile);
    const deployment = new Deployment();
    let program: ProgramSpec = EMPTY_PROGRAM;
    // A broken invariant that persists is counted once, when first seen.
    const seen = new Set<string>();
    const report = (v: Violation, run: number, phase: "faulty" | "clean"): void => {
      const key = `${v.invariant}|${v.detail}`;
      if (!seen.has(key)) {
        seen.add(key);
        violations.push({ ...v, run, phase });
        log(`  run ${run} (${phase}): VIOLATION ${v.invariant}: ${v.detail}`);
      }
    };
    const check = (run: number, phase: "faulty" | "clean", before: ReturnType<typeof snapshotVms>): void => {
      checks++;
      for (const v of checkInvariants({ control: sandbox.control, state: deployment.entries(), before, inherited, compareState: phase === "clean" })) {
        report(v, run, phase);
      }
    };
    for (let run = 1; run <= options.runs; run++) {
      if (options.timeBudgetMs !== undefined && performance.now() - started > options.timeBudgetMs) {
        break;
      }
      actAsUsers(sandbox, rng);
      const roll = rng.next();
      const operation = program.pools.length > 0 && roll < 0.1 ? "destroy" : roll < 0.2 ? "refresh then up" : "up";
      operations[operation]++;
      program = operation === "destroy" ? EMPTY_PROGRAM : mutateProgram(program, rng, () => `grant-${++keys}`, grantsInState(deployment.entries()));
      const apply = async (): Promise<RunOutcome> => (operation === "destroy" ? deployment.destroy() : deployment.up(toDesiredResources(program)));

      const rules = drawFaults(rng);
      const ids = rules.map((rule) => sandbox.control.addFault(rule));
      faultRules += rules.length;
      const before = snapshotVms(sandbox.control);
      let faulty: RunOutcome;
      if (operation === "refresh then up") {
        const refreshed = await deployment.refresh();
        faulty = refreshed.errors.size > 0 ? refreshed : await apply();
      } else {
        faulty = await apply();
      }
      for (const rule of sandbox.control.listFaults().filter((r) => ids.includes(r.id))) {
        faultsInjected += rule.hits;
        const kind = describeFault(rule);
        faultsByKind[kind] = (faultsByKind[kind] ?? 0) + rule.hits;
      }
      sandbox.control.clearFaults();
      if (faulty.errors.size > 0) {
        faultyRunsFailed++;
      }
      check(run, "faulty", before);

      const cleanBefore = snapshotVms(sandbox.control);
      const clean = await apply();
      // A refused shrink is the rule at work; its pool's permissions are skipped with it.
      const refusedUrns = new Set([...clean.errors].filter(([, message]) => message.includes(SHRINK_REFUSED)).map(([urn]) => urn));
      const unexpected = [...clean.errors].filter(([urn, message]) => !refusedUrns.has(urn) && ![...refusedUrns].some((r) => message === `skipped: ${r} failed`));
      if (clean.errors.size > 0 && unexpected.length === 0) {
        shrinksRefused++;
        program = acceptRefusals(program, clean, deployment);
      }
      for (const [urn, message] of unexpected) {
        report({ invariant: "clean re-run failed", detail: `${urn}: ${message}` }, run, "clean");
      }
      check(run, "clean", cleanBefore);
      runs = run;
      const faultText = rules.length === 0 ? "no faults" : rules.map(describeFault).join(", ");
      for (const [urn, message] of clean.errors) {
        log(`  run ${run} (clean): ${urn}: ${message.slice(0, 300)}`);
      }
      log(`run ${run}: ${operation} (${program.pools.map((p) => `${p.name}:${p.size}`).join(" ") || "nothing"}; ${program.grants.length} permissions) with ${faultText}: ${faulty.errors.size === 0 ? "ok" : `${faulty.errors.size} failed`}, clean re-run ${clean.errors.size === 0 ? "ok" : unexpected.length === 0 ? "shrink refused" : "FAILED"}`);
    }
    // Leave nothing behind: the last check sees an empty engine.
    const before = snapshotVms(sandbox.control);
    const teardown = await deployment.destroy();
    for (const [urn, message] of teardown.errors) {
      report({ invariant: "final destroy failed", detail: `${urn}: ${message}` }, runs + 1, "clean");
    }
    check(runs + 1, "clean", before);
  } finally {
    await sandbox.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return {
    seed: options.seed,
    runs,
    operations,
    faultRules,
    faultsInjected,
    faultsByKind,
    faultyRunsFailed,
    shrinksRefused,
    checks,
    violations,
    durationMs: performance.now() - started,
    cutShort: runs < options.runs,
  };
}
