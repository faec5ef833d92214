/**
 * `npm run chaos`: the fault campaign's long run. Prints what it did (runs,
 * faults injected by kind, failed faulty runs, refused shrinks, checks) and
 * every invariant violation, and exits non-zero on any violation.
 *
 * Options: `--runs N` (default 200), `--seed S` (default 15; the same seed
 * replays the same campaign), `--minutes M` (stop starting runs after M
 * minutes, default 30), `--quiet` (no line per run).
 */
import { runCampaign, type CampaignSummary } from "./campaign";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? undefined : Number(process.argv[at + 1]);
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new Error(`--${name} needs a positive number`);
  }
  return value ?? fallback;
}

/** The summary as the lines `npm run chaos` prints (and the README quotes). */
export function formatSummary(s: CampaignSummary): string[] {
  const byKind = Object.entries(s.faultsByKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
  const byInvariant = new Map<string, number>();
  for (const v of s.violations) {
    byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
  }
  return [
    `fault campaign, seed ${s.seed}: ${s.runs} runs in ${(s.durationMs / 60_000).toFixed(1)} min${s.cutShort ? " (cut short by the time budget)" : ""}`,
    `  operations:        ${Object.entries(s.operations).map(([op, n]) => `${op} ${n}`).join(", ")}; each followed by a clean re-run`,
    `  faults injected:   ${s.faultsInjected} requests hit by ${s.faultRules} rules (${byKind || "none"})`,
    `  faulty runs failed: ${s.faultyRunsFailed} of ${s.runs} (expected under faults; the clean re-run repairs them)`,
    `  shrinks refused:   ${s.shrinksRefused} (VMs in use; the safe-shrink rule at work)`,
    `  invariant checks:  ${s.checks}`,
    `  violations:        ${s.violations.length}${byInvariant.size === 0 ? "" : ` (${[...byInvariant].map(([k, n]) => `${k} ${n}`).join(", ")})`}`,
  ];
}

async function main(): Promise<void> {
  const quiet = process.argv.includes("--quiet");
  const summary = await runCampaign({
    runs: option("runs", 200),
    seed: option("seed", 15),
    timeBudgetMs: option("minutes", 30) * 60_000,
    log: (line) => {
      if (!quiet || line.includes("VIOLATION")) {
        console.log(line);
      }
    },
  });
  console.log(formatSummary(summary).join("\n"));
  for (const v of summary.violations) {
    console.log(`  run ${v.run} (${v.phase}): ${v.invariant}: ${v.detail}`);
  }
  process.exitCode = summary.violations.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
