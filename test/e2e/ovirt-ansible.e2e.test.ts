/**
 * An existing oVirt playbook (ovirt.ovirt's ovirt_auth, ovirt_cluster,
 * ovirt_vmpool, ovirt_permission) run against the sandbox, as users will try
 * their playbooks: the first run changes, the second changes nothing, the
 * sandbox holds the pool, its VMs and the permission, and `absent` removes
 * them.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../sandbox/ovirt-engine/seed";
import type { OvirtSandbox } from "../../sandbox/ovirt-engine/server";
import { startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";
import { findTool, missingTools, REPO_ROOT } from "../harness/tools";

const skip = missingTools("ansible-playbook", "ovirt-sdk-python").length > 0;

/** What the json callback reports per task. */
interface TaskResult {
  task: string;
  changed: boolean;
  failed: boolean;
  skipped: boolean;
}

describe.skipIf(skip)("an ovirt.ovirt playbook against the sandbox", () => {
  let under: EngineUnderTest;
  let engine: OvirtSandbox;
  let dir: string;

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    ({ engine, dir } = under);
  });
  afterAll(async () => under?.dispose());

  /** Runs the playbook (asynchronously: the sandbox answers from this process) and returns each task's outcome. */
  async function runPlaybook(poolState: "present" | "absent"): Promise<TaskResult[]> {
    const vars = {
      engine_url: engine.url,
      engine_password: engine.credentials.password,
      ca_file: under.caFile,
      pool_state: poolState,
      ansible_python_interpreter: findTool("ovirt-sdk-python") ?? "",
    };
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        findTool("ansible-playbook") ?? "",
        ["-i", "localhost,", path.join(REPO_ROOT, "test/fixtures/ansible/pool.yml"), "-e", JSON.stringify(vars)],
        { timeout: 180_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: "json", ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_HOME: dir } },
        (err, out, stderr) => {
          // A failed task exits non-zero; its JSON still tells which one.
          if (err && out.trim() === "") {
            reject(new Error(`${err.message}\n${stderr}`));
          } else {
            resolve(out);
          }
        },
      );
    });
    const report = JSON.parse(stdout) as { plays: { tasks: { task: { name: string }; hosts: { localhost: { changed?: boolean; failed?: boolean; skipped?: boolean } } }[] }[] };
    return (report.plays[0]?.tasks ?? []).map((t) => ({
      task: t.task.name,
      changed: t.hosts.localhost.changed === true,
      failed: t.hosts.localhost.failed === true,
      skipped: t.hosts.localhost.skipped === true,
    }));
  }

  const outcome = (changed: boolean[], skipped: boolean[] = [false, false, false, false, false]): TaskResult[] =>
    ["Log in", "Cluster", "Pool", "UserRole for alice on the pool", "Log out"].map((task, i) => ({ task, changed: changed[i] ?? false, failed: false, skipped: skipped[i] ?? false }));

  it("creates the pool and the permission on the first run", async () => {
    expect(await runPlaybook("present")).toEqual(outcome([false, false, true, true, false]));
    const pool = engine.control.pools().find((p) => p.name === "ansible-pool");
    expect(pool?.vms.map((vm) => vm.name)).toEqual(["ansible-pool-1", "ansible-pool-2"]);
    const permissions = engine.control.engine.store.permissions;
    expect([...permissions.values()].filter((p) => p.objectType === "vm_pool" && p.objectId === pool?.id).map((p) => [p.roleId, p.userId])).toEqual([
      ["00000000-0000-0000-0001-000000000001", DEFAULT_SEED_IDS.alice],
    ]);
  });

  it("changes nothing on the second run", async () => {
    engine.control.resetRequestCounts();
    expect(await runPlaybook("present")).toEqual(outcome([false, false, false, false, false]));
    for (const method of ["POST", "PUT", "DELETE"]) {
      expect(engine.control.countRequests(method, /^\/ovirt-engine\/api\/(vmpools|clusters|vms)/)).toBe(0);
    }
    expect(engine.control.pools().map((p) => p.name)).toEqual(["ansible-pool"]);
  });

  it("removes the pool, its VMs and its permission with state absent", async () => {
    expect(await runPlaybook("absent")).toEqual(outcome([false, false, true, false, false], [false, false, false, true, false]));
    expect(engine.control.pools()).toEqual([]);
    expect([...engine.control.engine.store.vms.values()].filter((vm) => vm.name.startsWith("ansible-pool-"))).toEqual([]);
    expect([...engine.control.engine.store.permissions.values()].filter((p) => p.objectType === "vm_pool")).toEqual([]);
  });
});
