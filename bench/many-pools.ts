/**
 * Many pools at once: one stack of N small pools (500 by default) brought up
 * on the engine sandbox with realistic latency, with `pulumi up --parallel`
 * 1, 8 and 64, and once more at 64 with the provider's per-engine limit
 * raised above what the sandbox serves (it answers 503 beyond a threshold
 * of requests in flight, as an overloaded engine does). Each run on a fresh
 * sandbox and stack. Reports time against `--parallel 1`, the engine's peak
 * of requests in flight, the 503s it answered, logins, calls, errors and
 * the provider process's peak memory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { SystemClock } from "../sandbox/ovirt-engine/clock";
import type { EngineTimings } from "../sandbox/ovirt-engine/model";
import { startOvirtSandbox } from "../sandbox/ovirt-engine/server";
import { countEngineCalls, type EngineCalls } from "./lib/engine-counts";
import { PoolsProject } from "./lib/pulumi-project";

/** One `pulumi up` of the whole stack. */
export interface ManyPoolsRow {
  readonly parallel: number;
  /** `vmpools:ovirtMaxConcurrentRequests` for the run. */
  readonly limit: number;
  readonly pools: number;
  readonly ms: number;
  /** Pools the engine has afterwards with the size asked for. */
  readonly poolsCreated: number;
  /** Whether `pulumi up` exited 0. */
  readonly ok: boolean;
  readonly calls: EngineCalls;
  /** Most requests in flight at the engine at once. */
  readonly peakInFlight: number;
  /** Requests the engine refused with 503 for overload. */
  readonly overloaded: number;
  readonly providerPeakKiB: number;
}

/** Options of {@link runManyPools}. */
export interface ManyPoolsOptions {
  readonly pools: number;
  /** Latency the sandbox adds to every request, ms. */
  readonly latencyMs: number;
  /** Requests in flight from which on the sandbox answers 503. */
  readonly engineThreshold: number;
  /** The runs: `--parallel` and the provider's limit. */
  readonly runs: readonly { parallel: number; limit: number }[];
  readonly log: (line: string) => void;
}

/** Small pools whose disks are ready quickly: the bench measures requests, not disk copies. */
const MANY_POOLS_TIMINGS: EngineTimings = { diskCreateMs: 200, vmBootMs: 2_000, vmStopMs: 500, vmRemoveMs: 10 };

/** Brings the stack up once per run; resolves with a row per run. */
export async function runManyPools(options: ManyPoolsOptions): Promise<ManyPoolsRow[]> {
  const rows: ManyPoolsRow[] = [];
  for (const run of options.runs) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-many-"));
    const sandbox = await startOvirtSandbox({ clock: new SystemClock(), timings: MANY_POOLS_TIMINGS, prestartMonitor: false });
    let project: PoolsProject | undefined;
    try {
      const caFile = path.join(scratch, "ca.pem");
      fs.writeFileSync(caFile, sandbox.caPem ?? "");
      project = await PoolsProject.create(
        { url: sandbox.url, username: sandbox.credentials.username, password: sandbox.credentials.password, caFile },
        { prefix: "many", pools: String(options.pools), size: "1", "vmpools:ovirtMaxConcurrentRequests": String(run.limit) },
      );
      sandbox.control.addFault({ path: "^/ovirt-engine/", kind: "latency", latencyMs: options.latencyMs });
      sandbox.control.setOverload(options.engineThreshold);
      sandbox.control.resetOverloadStats();
      sandbox.control.resetRequestCounts();
      const result = await project.run(["up", "--yes", "--skip-preview", "--parallel", String(run.parallel)]);
      const overload = sandbox.control.overload();
      const row: ManyPoolsRow = {
        parallel: run.parallel,
        limit: run.limit,
        pools: options.pools,
        ms: result.ms,
        poolsCreated: sandbox.control.pools().filter((p) => p.name.startsWith("many-") && p.size === 1).length,
        ok: result.code === 0,
        calls: countEngineCalls(sandbox.control),
        peakInFlight: overload.peakInFlight,
        overloaded: overload.rejected,
        providerPeakKiB: result.providerPeakKiB,
      };
      rows.push(row);
      options.log(
        `  --parallel ${String(run.parallel).padEnd(3)} limit ${String(run.limit).padEnd(3)}: ${(row.ms / 1000).toFixed(1)} s, ${row.poolsCreated}/${row.pools} pools, ${row.ok ? "no error" : "FAILED"}, peak ${row.peakInFlight} in flight, ${row.overloaded} overload 503s, ${row.calls.sso} logins, ${row.calls.total} calls`,
      );
      if (!row.ok) {
        options.log(result.tail);
      }
    } finally {
      await project?.dispose();
      await sandbox.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  return rows;
}
