/**
 * Ours against Ansible's `ovirt.ovirt.ovirt_vmpool` on the same engine
 * sandbox, in the same run, with the same simulated engine latency: engine
 * calls (from the sandbox's request counters) and wall time of each pool
 * operation, for pools of 10, 100 and 1000 VMs, and the dynamic provider
 * process's peak memory. The two tools work on pools of their own, one
 * operation after the other, each operation of ours followed by the same of
 * Ansible's, so both meet the same engine state and machine load.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { SystemClock } from "../sandbox/ovirt-engine/clock";
import type { EngineTimings } from "../sandbox/ovirt-engine/model";
import { startOvirtSandbox, type OvirtSandbox } from "../sandbox/ovirt-engine/server";
import { AnsiblePeer, type AnsiblePoolOperation } from "./lib/ansible";
import { measureCalls, type EngineCalls } from "./lib/engine-counts";
import { PoolsProject, type EngineAccess } from "./lib/pulumi-project";

/** The pool operations compared, in the order they run on one pool. */
export const OPERATIONS = ["create", "re-apply unchanged", "refresh unchanged", "grow by 10", "change description", "destroy"] as const;
/** One of {@link OPERATIONS}. */
export type Operation = (typeof OPERATIONS)[number];

/**
 * The fewest calls an operation needs, polling aside (the floor: 1
 * POST to create, 1 PUT to grow or change, at most 2 GETs to refresh, 1
 * DELETE to destroy; re-applying needs 1 GET to compare).
 */
export const FLOOR: Readonly<Record<Operation, number>> = {
  create: 1,
  "re-apply unchanged": 1,
  "refresh unchanged": 2,
  "grow by 10": 1,
  "change description": 1,
  destroy: 1,
};

/** One tool's figures for one operation. */
export interface ToolFigures {
  readonly calls: EngineCalls;
  /** Wall time of the whole CLI or playbook run, ms. */
  readonly ms: number;
}

/** One operation on one pool size, both tools. */
export interface PeerRow {
  readonly operation: Operation;
  readonly vms: number;
  readonly ours: ToolFigures & { readonly providerPeakKiB: number };
  readonly ansible: ToolFigures;
  readonly floor: number;
}

/** Options of {@link runPeerComparison}. */
export interface PeerOptions {
  readonly sizes: readonly number[];
  /** Latency the sandbox adds to every engine request, ms. */
  readonly latencyMs: number;
  readonly tools: { ansiblePlaybook: string; python: string };
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/**
 * Engine timings for the comparison: disks take a while to be created (so
 * both tools really wait for them), removal of down VMs is quick. No VM is
 * prestarted, so none boots.
 */
export const PEER_TIMINGS: EngineTimings = { diskCreateMs: 1_500, vmBootMs: 4_000, vmStopMs: 1_000, vmRemoveMs: 10 };

/** Fails the benchmark when a tool did not do what it was asked, so no figure comes from a failed run. */
function expectPool(sandbox: OvirtSandbox, name: string, want: { size: number; description: string } | undefined, who: string): void {
  const pool = sandbox.control.pools().find((p) => p.name === name);
  const got = pool === undefined ? undefined : { size: pool.size, description: sandbox.control.engine.store.pools.get(pool.id)?.description ?? "" };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${who}: expected pool '${name}' to be ${JSON.stringify(want)}, the engine has ${JSON.stringify(got)}`);
  }
}

/** Runs every operation on every size with both tools; resolves with one row per operation and size. */
export async function runPeerComparison(options: PeerOptions): Promise<PeerRow[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-peers-"));
  const sandbox = await startOvirtSandbox({ clock: new SystemClock(), timings: PEER_TIMINGS, prestartMonitor: false });
  const rows: PeerRow[] = [];
  try {
    // Room to grow a 1000-VM pool by 10 (the engine's default MaxVmsInPool is 1000).
    sandbox.control.setConfig({ MaxVmsInPool: 2_000 });
    const caFile = path.join(scratch, "ca.pem");
    fs.writeFileSync(caFile, sandbox.caPem ?? "");
    const engine: EngineAccess = { url: sandbox.url, username: sandbox.credentials.username, password: sandbox.credentials.password, caFile };
    const ansible = new AnsiblePeer(options.tools, engine, scratch);
    sandbox.control.addFault({ path: "^/ovirt-engine/", kind: "latency", latencyMs: options.latencyMs });
    for (const vms of options.sizes) {
      const ours = `ours-n${vms}`;
      const theirs = `ansible-n${vms}`;
      const project = await PoolsProject.create(engine, { prefix: ours, size: String(vms), description: "bench" });
      try {
        let size = vms;
        let description = "bench";
        for (const operation of OPERATIONS) {
          if (operation === "grow by 10") {
            size += 10;
          }
          if (operation === "change description") {
            description = "bench, changed";
          }
          await project.setConfig({ size: String(size), description });
          const args = operation === "refresh unchanged" ? ["refresh", "--yes", "--skip-preview"] : operation === "destroy" ? ["destroy", "--yes", "--skip-preview"] : ["up", "--yes", "--skip-preview"];
          const mine = await measureCalls(sandbox.control, () => project.run(args));
          if (mine.result.code !== 0) {
            throw new Error(`pulumi ${args.join(" ")} (${operation}, ${vms} VMs) failed:\n${mine.result.tail}`);
          }
          const want = operation === "destroy" ? undefined : { size, description };
          expectPool(sandbox, ours, want, `pulumi (${operation})`);
          const op: AnsiblePoolOperation = { poolName: theirs, vmCount: size, description, state: operation === "destroy" ? "absent" : "present", readOnly: operation === "refresh unchanged" };
          const peer = await measureCalls(sandbox.control, () => ansible.run(op));
          if (!peer.result.ok) {
            throw new Error(`ansible-playbook (${operation}, ${vms} VMs) failed: ${peer.result.failure ?? ""}`);
          }
          expectPool(sandbox, theirs, want, `ansible (${operation})`);
          const row: PeerRow = {
            operation,
            vms,
            ours: { calls: mine.calls, ms: mine.result.ms, providerPeakKiB: mine.result.providerPeakKiB },
            ansible: { calls: peer.calls, ms: peer.result.ms },
            floor: FLOOR[operation],
          };
          rows.push(row);
          options.log(`  ${operation.padEnd(20)} ${String(vms).padStart(5)} VMs: ours ${row.ours.calls.total} calls ${(row.ours.ms / 1000).toFixed(1)} s; Ansible ${row.ansible.calls.total} calls ${(row.ansible.ms / 1000).toFixed(1)} s`);
        }
      } finally {
        await project.dispose();
      }
    }
  } finally {
    await sandbox.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}
