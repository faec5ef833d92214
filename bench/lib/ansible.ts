/**
 * The peer: Ansible's `ovirt.ovirt` collection (installed by setup) doing
 * the same pool operations on the same sandbox, one `ansible-playbook` run
 * per operation, as an administrator runs a playbook: log in
 * (`ovirt_auth`), the pool (`ovirt_vmpool`, or `ovirt_vmpool_info` to read
 * it back), log out. Module defaults are kept (`wait: true`,
 * `poll_interval: 3`), except a timeout long enough for 1000 VMs.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import type { EngineAccess } from "./pulumi-project";

const PLAYBOOK = `# One pool operation with the ovirt.ovirt collection, for the benchmark.
- name: VM pool on the engine
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Log in
      ovirt.ovirt.ovirt_auth:
        url: "{{ engine_url }}"
        username: "{{ engine_username }}"
        password: "{{ engine_password }}"
        ca_file: "{{ ca_file }}"

    - name: Pool
      ovirt.ovirt.ovirt_vmpool:
        auth: "{{ ovirt_auth }}"
        name: "{{ pool_name }}"
        cluster: Default
        template: rhel9-desktop
        vm_count: "{{ vm_count }}"
        vm_per_user: 1
        prestarted: 0
        description: "{{ description }}"
        state: "{{ pool_state }}"
        timeout: 3600
      when: not (read_only | bool)

    - name: Read the pool
      ovirt.ovirt.ovirt_vmpool_info:
        auth: "{{ ovirt_auth }}"
        pattern: "name={{ pool_name }}"
      when: read_only | bool

    - name: Log out
      ovirt.ovirt.ovirt_auth:
        state: absent
        ovirt_auth: "{{ ovirt_auth }}"
`;

/** One pool operation as the playbook's variables. */
export interface AnsiblePoolOperation {
  readonly poolName: string;
  readonly vmCount: number;
  readonly description: string;
  /** `present` creates or changes the pool; `absent` removes it. */
  readonly state: "present" | "absent";
  /** Only read the pool back (`ovirt_vmpool_info`), the peer of `pulumi refresh`. */
  readonly readOnly: boolean;
}

/** One timed playbook run. */
export interface AnsibleRun {
  readonly ms: number;
  /** Whether every task succeeded. */
  readonly ok: boolean;
  /** Whether the pool task reported a change. */
  readonly changed: boolean;
  /** The failure, when a task failed. */
  readonly failure: string | undefined;
}

/** Runs playbooks against one engine, from a scratch folder. */
export class AnsiblePeer {
  private readonly playbook: string;

  constructor(
    private readonly tools: { ansiblePlaybook: string; python: string },
    private readonly engine: EngineAccess,
    private readonly scratch: string,
  ) {
    this.playbook = path.join(scratch, "pool.yml");
    fs.writeFileSync(this.playbook, PLAYBOOK);
  }

  /** Runs one operation; resolves with its time and outcome (never rejects for a failed task). */
  async run(op: AnsiblePoolOperation): Promise<AnsibleRun> {
    const vars = {
      engine_url: this.engine.url,
      engine_username: this.engine.username,
      engine_password: this.engine.password,
      ca_file: this.engine.caFile,
      pool_name: op.poolName,
      vm_count: op.vmCount,
      description: op.description,
      pool_state: op.state,
      read_only: op.readOnly,
      ansible_python_interpreter: this.tools.python,
    };
    const start = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        this.tools.ansiblePlaybook,
        ["-i", "localhost,", this.playbook, "-e", JSON.stringify(vars)],
        {
          timeout: 3_600_000,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: "json", ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCAL_TEMP: this.scratch, ANSIBLE_HOME: this.scratch },
        },
        (err, out, stderr) => {
          if (err !== null && out.trim() === "") {
            reject(new Error(`ansible-playbook failed to run: ${err.message}\n${stderr}`));
          } else {
            resolve(out);
          }
        },
      );
    });
    const ms = performance.now() - start;
    const report = JSON.parse(stdout) as { plays: { tasks: { task: { name: string }; hosts: { localhost?: { changed?: boolean; failed?: boolean; msg?: string } } }[] }[] };
    const tasks = report.plays[0]?.tasks ?? [];
    const failed = tasks.find((t) => t.hosts.localhost?.failed === true);
    return {
      ms,
      ok: failed === undefined,
      changed: tasks.some((t) => t.task.name === "Pool" && t.hosts.localhost?.changed === true),
      failure: failed === undefined ? undefined : `${failed.task.name}: ${failed.hosts.localhost?.msg ?? "failed"}`,
    };
  }
}
