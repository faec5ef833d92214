/**
 * Many pools at once on a real API server: a stack of KubeVirt pools
 * through our `VmPool`, `pulumi up --parallel` 1, 8 and 64, each from
 * nothing and destroyed after. Reports the time against `--parallel 1`, the
 * pools the API server holds afterwards and whether the run had an error.
 * The API server protects itself (API Priority and Fairness answers 429 when
 * a flow's share is used up); the provider retries 429 and 5xx answers of
 * calls that are safe to repeat, with backoff.
 */
import * as k8s from "@kubernetes/client-node";

import { startTestCluster } from "../test/harness/kube-apiserver";
import { runPulumi } from "../tools/pulumi-cli";
import { createStack, OURS, poolArgs, timed, type Stack } from "./kubernetes-overhead";

/** One `up` of the whole stack. */
export interface KubernetesManyPoolsRow {
  readonly parallel: number;
  readonly pools: number;
  readonly ms: number;
  /** Pools the API server held after the run. */
  readonly poolsCreated: number;
  readonly ok: boolean;
}

/** Runs `up` at each `--parallel` on a fresh API server, destroying in between. */
export async function runKubernetesManyPools(options: { pools: number; parallels: readonly number[]; log: (line: string) => void }): Promise<KubernetesManyPoolsRow[]> {
  const cluster = await startTestCluster();
  let stack: Stack | undefined;
  const rows: KubernetesManyPoolsRow[] = [];
  try {
    const admin = cluster.kubeConfig("admin");
    await admin.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: "many" } } });
    const objects = admin.makeApiClient(k8s.CustomObjectsApi);
    const countPools = async (): Promise<number> => {
      const list = (await objects.listNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1beta1", namespace: "many", plural: "virtualmachinepools" })) as { items: unknown[] };
      return list.items.length;
    };
    const pools = Array.from({ length: options.pools }, (_, i) => poolArgs(`many-${String(i).padStart(3, "0")}`, "many"));
    stack = await createStack("many", OURS, { "pools.json": pools }, {}, { "vmpools:kubeconfig": cluster.kubeconfigFile("admin") });
    for (const parallel of options.parallels) {
      const run = await timed(stack, ["up", "--yes", "--skip-preview", "--parallel", String(parallel)], options.log);
      const row = { parallel, pools: options.pools, ms: run.ms, poolsCreated: await countPools(), ok: run.ok };
      rows.push(row);
      options.log(`  --parallel ${String(parallel).padEnd(3)}: ${(row.ms / 1000).toFixed(1)} s, ${row.poolsCreated}/${row.pools} pools, ${row.ok ? "no error" : "FAILED"}`);
      const destroyed = await timed(stack, ["destroy", "--yes", "--skip-preview", "--parallel", "16"], options.log);
      if (!destroyed.ok || (await countPools()) !== 0) {
        throw new Error("the stack of many pools did not destroy cleanly; the next run would not start from nothing");
      }
    }
    return rows;
  } finally {
    if (stack !== undefined) {
      await runPulumi(stack.pulumi.env, stack.dir, ["stack", "rm", "--yes", "--force", "--stack", "bench"], { allowFailure: true });
      stack.pulumi.dispose();
    }
    await cluster.stop();
  }
}

