/**
 * Benchmark: can the oVirt sandbox hold two pools at the 1000-VM default
 * (`MaxVmsInPool`) without becoming a test run's bottleneck? Creates both
 * pools over HTTPS, lists their VMs by `pool=` search and all pools, and
 * prints wall time per step and the process's memory. Run: `npm run bench`.
 */
import * as https from "node:https";
import { performance } from "node:perf_hooks";

import { startOvirtSandbox } from "../sandbox/ovirt-engine/server";

interface Answer {
  status: number;
  body: string;
}

function request(agent: https.Agent, origin: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, origin), { method, agent, headers: { ...headers, ...(body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    if (body !== undefined) {
      req.write(body);
    }
    req.end();
  });
}

const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const before = process.memoryUsage();
  const sandbox = await startOvirtSandbox();
  const agent = new https.Agent({ ca: sandbox.caPem, keepAlive: true });
  const sso = await request(agent, sandbox.origin, "POST", "/ovirt-engine/sso/oauth/token", { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" }, new URLSearchParams({ grant_type: "password", scope: "ovirt-app-api", username: "admin@internal", password: sandbox.credentials.password }).toString());
  const token = (JSON.parse(sso.body) as { access_token: string }).access_token;
  const headers = { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token}` };
  const rows: [string, number, string][] = [];
  const step = async (label: string, run: () => Promise<string>): Promise<void> => {
    const t0 = performance.now();
    const detail = await run();
    rows.push([label, performance.now() - t0, detail]);
  };

  for (const name of ["bench-a", "bench-b"]) {
    await step(`POST /vmpools ${name} size 1000`, async () => {
      const res = await request(agent, sandbox.origin, "POST", "/ovirt-engine/api/vmpools", headers, JSON.stringify({ name, size: 1000, cluster: { name: "Default" }, template: { name: "rhel9-desktop" } }));
      if (res.status !== 201) {
        throw new Error(`create ${name}: ${res.status} ${res.body}`);
      }
      return "201";
    });
  }
  for (const name of ["bench-a", "bench-b"]) {
    await step(`GET /vms?search=pool=${name}`, async () => {
      const res = await request(agent, sandbox.origin, "GET", `/ovirt-engine/api/vms?search=${encodeURIComponent(`pool=${name}`)}`, headers);
      const count = (JSON.parse(res.body) as { vm?: unknown[] }).vm?.length ?? 0;
      if (count !== 1000) {
        throw new Error(`expected 1000 VMs in ${name}, got ${count}`);
      }
      return `${count} VMs, ${mib(res.body.length)} of JSON`;
    });
  }
  await step("GET /vms (all)", async () => {
    const res = await request(agent, sandbox.origin, "GET", "/ovirt-engine/api/vms", headers);
    return `${(JSON.parse(res.body) as { vm?: unknown[] }).vm?.length ?? 0} VMs`;
  });
  await step("GET /vmpools", async () => {
    const res = await request(agent, sandbox.origin, "GET", "/ovirt-engine/api/vmpools", headers);
    return `${(JSON.parse(res.body) as { vm_pool?: unknown[] }).vm_pool?.length ?? 0} pools`;
  });
  const after = process.memoryUsage();
  await sandbox.close();
  agent.destroy();

  console.log("oVirt sandbox: two pools of 1000 VMs");
  for (const [label, ms, detail] of rows) {
    console.log(`  ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${detail}`);
  }
  console.log(`  heap used: ${mib(before.heapUsed)} -> ${mib(after.heapUsed)}; rss: ${mib(before.rss)} -> ${mib(after.rss)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
