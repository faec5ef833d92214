/**
 * Benchmark: how much time the policy pack adds to a preview. Previews the
 * largest example stack (most resources) with the plain CLI, as users run
 * it, alternately without and with `--policy-pack policies`, and prints the
 * median of each and their ratio. No engine is needed: the stack sets
 * `vmpools:verifyReferences false`. Run: `npm run bench` (after setup), or
 * `node dist/bench/policy-pack-preview.js <example>` for another example.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { createIsolatedPulumi, runPulumi } from "../tools/pulumi-cli";

const REPO_ROOT = path.resolve(__dirname, "../..");
const RUNS = 5;

/** The example with the most resources of this package, by the constructors its program calls. */
function findLargestExample(): { name: string; resources: number } {
  const examples = fs.readdirSync(path.join(REPO_ROOT, "examples")).filter((name) => fs.existsSync(path.join(REPO_ROOT, "examples", name, "index.ts")));
  const counted = examples.map((name) => ({
    name,
    resources: (fs.readFileSync(path.join(REPO_ROOT, "examples", name, "index.ts"), "utf8").match(/new (VmPool|TrustedCluster|PoolPermission)\(/g) ?? []).length,
  }));
  const [largest] = counted.sort((a, b) => b.resources - a.resources || a.name.localeCompare(b.name));
  if (largest === undefined) {
    throw new Error("no example project found");
  }
  return largest;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const chosen = process.argv[2];
  const example = chosen === undefined ? findLargestExample() : { name: chosen, resources: Number.NaN };
  const dir = path.join(REPO_ROOT, "examples", example.name);
  const pulumi = createIsolatedPulumi({ toolsBin: path.join(REPO_ROOT, ".tools", "bin"), passphrase: "bench", prefix: "vmpools-bench-" });
  const stack = `bench${crypto.randomBytes(3).toString("hex")}`;
  const run = (args: readonly string[]): Promise<unknown> => runPulumi(pulumi.env, dir, args);
  try {
    await run(["stack", "init", stack]);
    await run(["config", "set", "vmpools:verifyReferences", "false"]);
    // Required program config, with placeholder values.
    const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    for (const [, kind, key] of program.matchAll(/config\.require(Number)?\("([^"]+)"\)/g)) {
      await run(["config", "set", key ?? "", kind === "Number" ? "1" : "bench@internal-authz"]);
    }
    const preview = async (withPack: boolean): Promise<number> => {
      const start = performance.now();
      await run(["preview", "--stack", stack, ...(withPack ? ["--policy-pack", path.join(REPO_ROOT, "policies")] : [])]);
      return performance.now() - start;
    };
    // Warm the caches both ways first (ts-node, the module loader, the plugins).
    await preview(false);
    await preview(true);
    const without: number[] = [];
    const withPack: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      without.push(await preview(false));
      withPack.push(await preview(true));
    }
    const base = median(without);
    const packed = median(withPack);
    console.log(`policy pack on examples/${example.name}${Number.isNaN(example.resources) ? "" : ` (${example.resources} resources)`}, median of ${RUNS} previews each:`);
    console.log(`  without the pack ${(base / 1000).toFixed(2)} s, with it ${(packed / 1000).toFixed(2)} s: ratio ${(packed / base).toFixed(2)} (+${((packed - base) / 1000).toFixed(2)} s)`);
  } finally {
    await runPulumi(pulumi.env, dir, ["stack", "rm", "--yes", "--force", "--stack", stack]).catch(() => undefined);
    fs.rmSync(path.join(dir, `Pulumi.${stack}.yaml`), { force: true });
    pulumi.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
