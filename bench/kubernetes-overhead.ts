/**
 * Pulumi overhead on Kubernetes: a stack of KubeVirt pools through our
 * `VmPool` against the very same `VirtualMachinePool` objects as
 * `@pulumi/kubernetes` `CustomResource`s, on one real API server, both with
 * the plain CLI: `up`, a no-change `preview` and `destroy`; and our stack's
 * `preview --policy-pack` against its plain `preview`. The two stacks take
 * turns, round after round, so load on the machine hits both alike; each
 * figure is the median of the rounds, reported as a ratio.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import * as k8s from "@kubernetes/client-node";

import { toKubevirtPoolManifest } from "../provider/backends/kubevirt/mapping";
import { vmPoolInputsSchema, type KubevirtPoolInputs } from "../provider/schemas/vm-pool";
import { startTestCluster, type TestCluster } from "../test/harness/kube-apiserver";
import { createIsolatedPulumi, runPulumi, writeLinkedProject, type IsolatedPulumi } from "../tools/pulumi-cli";

const REPO_ROOT = path.resolve(__dirname, "../..");

/** The pool each stack holds `pools` of, in its own namespace: one halted desktop VM, as the lab example's. */
export function poolArgs(name: string, namespace: string): Record<string, unknown> {
  return {
    name,
    size: 1,
    backend: {
      kind: "kubevirt",
      namespace,
      virtualMachineTemplate: {
        metadata: { labels: { app: name } },
        spec: {
          runStrategy: "Halted",
          template: {
            spec: {
              domain: { resources: { requests: { memory: "1Gi" } }, devices: { disks: [{ name: "root", disk: { bus: "virtio" } }] } },
              volumes: [{ name: "root", containerDisk: { image: "quay.io/containerdisks/fedora:latest" } }],
            },
          },
        },
      },
    },
  };
}

/** A program of `VmPool`s, one per entry of `pools.json`. */
export const OURS = `"use strict";
const { VmPool } = require("pulumi-vmpools");
for (const args of require("./pools.json")) {
  new VmPool(args.name, args);
}
`;

const THEIRS = `"use strict";
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");
const provider = new k8s.Provider("cluster", { kubeconfig: new pulumi.Config().require("kubeconfigPath") });
for (const manifest of require("./manifests.json")) {
  new k8s.apiextensions.CustomResource(manifest.metadata.name, manifest, { provider });
}
`;

/** Options of {@link runKubernetesOverhead}. */
export interface KubernetesOverheadOptions {
  /** Pools per stack. */
  readonly pools: number;
  /** Rounds of the whole comparison; the medians are reported. */
  readonly rounds: number;
  /** `pulumi-resource-kubernetes` binary for `@pulumi/kubernetes`. */
  readonly kubernetesPlugin: string;
  /** Version `@pulumi/kubernetes` asks the engine for. */
  readonly kubernetesPluginVersion: string;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** One operation's medians, ms. */
export interface OverheadRow {
  readonly operation: "up" | "preview (no changes)" | "preview --policy-pack vs preview" | "destroy";
  readonly oursMs: number;
  /** `@pulumi/kubernetes`, or for the policy-pack row our plain preview. */
  readonly theirsMs: number;
  /** Every run of this operation exited 0. */
  readonly ok: boolean;
}

/** What the comparison measured. */
export interface KubernetesOverheadResult {
  readonly pools: number;
  readonly rounds: number;
  readonly kubernetesPluginVersion: string;
  readonly rows: OverheadRow[];
}

/** A project folder with one stack `bench`, run with the plain CLI. */
export interface Stack {
  readonly pulumi: IsolatedPulumi;
  readonly dir: string;
}

/** Writes a project (`index.js` plus JSON data files), creates stack `bench` and sets its config. */
export async function createStack(name: string, program: string, data: Record<string, unknown>, config: Record<string, string>, secrets: Record<string, string>): Promise<Stack> {
  const pulumi = createIsolatedPulumi({ toolsBin: path.join(REPO_ROOT, ".tools", "bin"), passphrase: "bench", prefix: `vmpools-bench-${name}-` });
  const dir = path.join(pulumi.root, "project");
  writeLinkedProject(dir, name, REPO_ROOT, `overhead benchmark: ${name}`);
  // The other stack's SDK; its own dependencies resolve from the checkout, where the link leads.
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "kubernetes"), path.join(dir, "node_modules", "@pulumi", "kubernetes"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, main: "index.js" }));
  fs.writeFileSync(path.join(dir, "index.js"), program);
  for (const [file, value] of Object.entries(data)) {
    fs.writeFileSync(path.join(dir, file), JSON.stringify(value));
  }
  await runPulumi(pulumi.env, dir, ["stack", "init", "bench"]);
  for (const [key, value] of Object.entries(config)) {
    await runPulumi(pulumi.env, dir, ["config", "set", key, value]);
  }
  for (const [key, value] of Object.entries(secrets)) {
    await runPulumi(pulumi.env, dir, ["config", "set", "--secret", key, value]);
  }
  return { pulumi, dir };
}

/** Runs `pulumi <args>` in the stack's folder, timed; a failure prints the output's tail. */
export async function timed(stack: Stack, args: readonly string[], log: (line: string) => void): Promise<{ ms: number; ok: boolean }> {
  const start = performance.now();
  const run = await runPulumi(stack.pulumi.env, stack.dir, args, { allowFailure: true });
  const ms = performance.now() - start;
  if (run.code !== 0) {
    log(`${run.stdout}\n${run.stderr}`.trimEnd().split("\n").slice(-20).join("\n"));
  }
  return { ms, ok: run.code === 0 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/**
 * The same objects our provider creates, so both stacks ask the API server
 * for the same work. `@pulumi/kubernetes` deletes in the foreground by
 * default, which adds a finalizer only the garbage collector (in
 * kube-controller-manager, absent from a bare API server) removes: its
 * destroy would never end. Background, as our provider deletes, is its
 * documented override.
 */
function toManifests(pools: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return pools.map((args) => {
    const manifest = toKubevirtPoolManifest(vmPoolInputsSchema.parse(args) as KubevirtPoolInputs, "v1beta1") as { metadata: { annotations?: Record<string, string> } };
    manifest.metadata.annotations = { ...manifest.metadata.annotations, "pulumi.com/deletionPropagationPolicy": "background" };
    return manifest;
  });
}

/** Runs the comparison on a fresh API server with KubeVirt's CRDs. */
export async function runKubernetesOverhead(options: KubernetesOverheadOptions): Promise<KubernetesOverheadResult> {
  // The same names in two namespaces: the same objects, and neither stack meets the other's.
  const poolsIn = (namespace: string): Record<string, unknown>[] => Array.from({ length: options.pools }, (_, i) => poolArgs(`bench-${String(i).padStart(3, "0")}`, namespace));
  const cluster: TestCluster = await startTestCluster();
  const stacks: Stack[] = [];
  try {
    const core = cluster.kubeConfig("admin").makeApiClient(k8s.CoreV1Api);
    for (const name of ["bench-ours", "bench-theirs"]) {
      await core.createNamespace({ body: { metadata: { name } } });
    }
    const kubeconfigPath = cluster.kubeconfigFile("admin");
    const ours = await createStack("ours", OURS, { "pools.json": poolsIn("bench-ours") }, {}, { "vmpools:kubeconfig": kubeconfigPath });
    stacks.push(ours);
    const theirs = await createStack("theirs", THEIRS, { "manifests.json": toManifests(poolsIn("bench-theirs")) }, { kubeconfigPath }, {});
    stacks.push(theirs);
    await runPulumi(theirs.pulumi.env, theirs.dir, ["plugin", "install", "resource", "kubernetes", options.kubernetesPluginVersion, "--file", options.kubernetesPlugin]);

    const samples = new Map<OverheadRow["operation"], { ours: number[]; theirs: number[]; ok: boolean }>();
    const record = (operation: OverheadRow["operation"], oursRun: { ms: number; ok: boolean }, otherRun: { ms: number; ok: boolean }): void => {
      const entry = samples.get(operation) ?? { ours: [], theirs: [], ok: true };
      entry.ours.push(oursRun.ms);
      entry.theirs.push(otherRun.ms);
      entry.ok &&= oursRun.ok && otherRun.ok;
      samples.set(operation, entry);
      options.log(`  ${operation}: ours ${(oursRun.ms / 1000).toFixed(1)} s${oursRun.ok ? "" : " FAILED"}, other ${(otherRun.ms / 1000).toFixed(1)} s${otherRun.ok ? "" : " FAILED"}`);
    };
    const policyPack = path.join(REPO_ROOT, "policies");
    for (let round = 1; round <= options.rounds; round++) {
      options.log(` round ${round} of ${options.rounds}, ${options.pools} pools per stack:`);
      // Who goes first alternates, so neither always meets a warm (or busy) API server.
      const order = round % 2 === 1 ? ([ours, theirs] as const) : ([theirs, ours] as const);
      const pair = async (args: readonly string[]): Promise<[{ ms: number; ok: boolean }, { ms: number; ok: boolean }]> => {
        const first = await timed(order[0], args, options.log);
        const second = await timed(order[1], args, options.log);
        return order[0] === ours ? [first, second] : [second, first];
      };
      record("up", ...(await pair(["up", "--yes", "--skip-preview"])));
      record("preview (no changes)", ...(await pair(["preview", "--expect-no-changes"])));
      const withPack = await timed(ours, ["preview", "--expect-no-changes", "--policy-pack", policyPack], options.log);
      const plain = await timed(ours, ["preview", "--expect-no-changes"], options.log);
      record("preview --policy-pack vs preview", withPack, plain);
      record("destroy", ...(await pair(["destroy", "--yes", "--skip-preview"])));
    }
    const rows = [...samples.entries()].map(([operation, s]) => ({ operation, oursMs: median(s.ours), theirsMs: median(s.theirs), ok: s.ok }));
    return { pools: options.pools, rounds: options.rounds, kubernetesPluginVersion: options.kubernetesPluginVersion, rows };
  } finally {
    for (const stack of stacks) {
      await runPulumi(stack.pulumi.env, stack.dir, ["stack", "rm", "--yes", "--force", "--stack", "bench"], { allowFailure: true });
      stack.pulumi.dispose();
    }
    await cluster.stop();
  }
}
