/**
 * `npm run bench` (after the sandbox's capacity and the policy pack's
 * preview cost): ours against Ansible's `ovirt.ovirt` on the same engine
 * sandbox (engine calls and wall time per operation, pools of 10, 100 and
 * 1000 VMs, the provider process's peak memory), a stack of many pools at
 * `--parallel` 1, 8 and 64 against an engine that answers 503 when
 * overloaded, and a long fuzzing of every resource's `check()`. Prints a
 * Markdown table and writes `bench-results/results.{json,md}` and
 * `bench-results/lifecycle.svg` (git-ignored).
 *
 * Environment: BENCH_SIZES (default `10,100,1000`), BENCH_LATENCY_MS
 * (default 20), BENCH_POOLS (default 500), BENCH_ENGINE_THRESHOLD (default
 * 12), BENCH_FUZZ_RUNS (default 5000), BENCH_K8S_POOLS (default 50),
 * BENCH_K8S_ROUNDS (default 3), BENCH_K8S_MANY_POOLS (default 500),
 * BENCH_ONLY (a comma list of `peers`, `many`, `kubernetes`,
 * `kubernetes-many`, `fuzz`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { formatFuzzReport, runCheckFuzz } from "./fuzz/run";
import type { BenchResults } from "./lib/report";
import { toChartPanels, toMarkdown } from "./lib/report";
import { canWatchMemory } from "./lib/proc-memory";
import { renderLineChart } from "./lib/svg-chart";
import { runKubernetesOverhead } from "./kubernetes-overhead";
import { runManyPools } from "./many-pools";
import { runKubernetesManyPools } from "./many-pools-kubernetes";
import { runPeerComparison } from "./peers";

const REPO_ROOT = path.resolve(__dirname, "../..");
const RESULTS_DIR = path.join(REPO_ROOT, "bench-results");

function numberFrom(name: string, fallback: number): number {
  const value = process.env[name];
  const parsed = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`${name} must be a positive number (got '${String(value)}')`);
  }
  return parsed;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const only = new Set((process.env["BENCH_ONLY"] ?? "peers,many,kubernetes,kubernetes-many,fuzz").split(",").map((s) => s.trim()));
  const latencyMs = numberFrom("BENCH_LATENCY_MS", 20);
  const sizes = (process.env["BENCH_SIZES"] ?? "10,100,1000").split(",").map(Number);
  const log = (line: string): void => {
    console.log(line);
  };
  const skipped: string[] = [];
  const startedAt = new Date().toISOString();
  let results: BenchResults = { startedAt, machine: { cpus: os.availableParallelism(), node: process.versions.node }, skipped };
  if (!canWatchMemory()) {
    skipped.push("provider memory (needs Linux /proc)");
  }

  if (only.has("peers")) {
    const tools = { ansiblePlaybook: path.join(REPO_ROOT, ".tools", "bin", "ansible-playbook"), python: path.join(REPO_ROOT, ".tools", "bin", "ovirt-sdk-python") };
    if (isExecutable(tools.ansiblePlaybook) && isExecutable(tools.python)) {
      log(`ours against Ansible, pools of ${sizes.join(", ")} VMs, ${latencyMs} ms latency:`);
      results = { ...results, peers: { latencyMs, rows: await runPeerComparison({ sizes, latencyMs, tools, log }) } };
    } else {
      skipped.push("the comparison with Ansible (.tools/bin/ansible-playbook missing: run 'npm run setup')");
    }
  }
  if (only.has("many")) {
    const pools = numberFrom("BENCH_POOLS", 500);
    const engineThreshold = numberFrom("BENCH_ENGINE_THRESHOLD", 12);
    log(`a stack of ${pools} pools, ${latencyMs} ms latency, the engine answering 503 from ${engineThreshold} requests in flight:`);
    const rows = await runManyPools({
      pools,
      latencyMs,
      engineThreshold,
      runs: [
        { parallel: 1, limit: 8 },
        { parallel: 8, limit: 8 },
        { parallel: 64, limit: 8 },
        // Above what the engine serves: the provider must back off on its 503s.
        { parallel: 64, limit: 64 },
      ],
      log,
    });
    results = { ...results, manyPools: { latencyMs, engineThreshold, rows } };
  }
  if (only.has("kubernetes")) {
    const plugin = path.join(REPO_ROOT, ".tools", "bench", "pulumi-resource-kubernetes");
    if (isExecutable(plugin) && isExecutable(path.join(REPO_ROOT, ".tools", "bin", "kube-apiserver"))) {
      const pools = numberFrom("BENCH_K8S_POOLS", 50);
      const rounds = numberFrom("BENCH_K8S_ROUNDS", 3);
      const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "kubernetes", "package.json"), "utf8")) as { version: string }).version;
      log(`${pools} KubeVirt pools, ours against @pulumi/kubernetes CustomResources, ${rounds} rounds:`);
      results = { ...results, kubernetes: await runKubernetesOverhead({ pools, rounds, kubernetesPlugin: plugin, kubernetesPluginVersion: version, log }) };
    } else {
      skipped.push("the Kubernetes overhead comparison (.tools/bench/pulumi-resource-kubernetes or .tools/bin/kube-apiserver missing: run 'npm run setup' and 'bash tools/build-kubernetes-provider.sh')");
    }
  }
  if (only.has("kubernetes-many")) {
    if (isExecutable(path.join(REPO_ROOT, ".tools", "bin", "kube-apiserver"))) {
      const pools = numberFrom("BENCH_K8S_MANY_POOLS", 500);
      log(`a stack of ${pools} KubeVirt pools on a real API server:`);
      results = { ...results, kubernetesManyPools: await runKubernetesManyPools({ pools, parallels: [1, 8, 64], log }) };
    } else {
      skipped.push("many pools on the API server (.tools/bin/kube-apiserver missing: run 'npm run setup')");
    }
  }
  if (only.has("fuzz")) {
    const runs = numberFrom("BENCH_FUZZ_RUNS", 5_000);
    log(`fuzzing check() with ${runs} inputs per resource and mode:`);
    const reports = await runCheckFuzz({ runs, seed: Date.now() % 1_000_000 });
    for (const r of reports) {
      log(`  ${formatFuzzReport(r)}`);
    }
    results = { ...results, fuzz: { runsPerResource: runs, reports } };
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const markdown = toMarkdown(results);
  fs.writeFileSync(path.join(RESULTS_DIR, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, "results.md"), markdown);
  if (results.peers !== undefined) {
    const { panels, sizes: xs } = toChartPanels(results.peers.rows);
    fs.writeFileSync(path.join(RESULTS_DIR, "lifecycle.svg"), renderLineChart(panels, xs));
  }
  console.log(`\n${markdown}`);
  console.log(`written: ${path.relative(REPO_ROOT, RESULTS_DIR)}/results.json, results.md${results.peers === undefined ? "" : ", lifecycle.svg"}`);
  const broken = (results.fuzz?.reports ?? []).some((r) => r.counterexample !== undefined) || (results.manyPools?.rows ?? []).some((r) => !r.ok) || (results.kubernetes?.rows ?? []).some((r) => !r.ok) || (results.kubernetesManyPools ?? []).some((r) => !r.ok);
  process.exitCode = broken ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
