/**
 * Runs the `check()` fuzzing of every resource against counting backends,
 * with reference checks on (the backends may be read) and off (nothing may
 * be sent at all). The tests run it briefly; `npm run bench` runs it long
 * (`node dist/bench/fuzz/run.js [runs]` alone).
 */
import { fuzzCheck, type FuzzTargetReport } from "./check-fuzz";
import { startFuzzBackends } from "./fuzz-backends";

/** One resource's report in one mode. */
export interface FuzzReport extends FuzzTargetReport {
  readonly verifyReferences: boolean;
}

/** Fuzzes with `runs` inputs per resource and mode; resolves with every report. */
export async function runCheckFuzz(options: { runs: number; seed: number }): Promise<FuzzReport[]> {
  const backends = await startFuzzBackends();
  try {
    const reports: FuzzReport[] = [];
    for (const verifyReferences of [false, true]) {
      const settings = backends.settings(verifyReferences);
      for (const report of await fuzzCheck({ runs: options.runs, seed: options.seed, settings: () => settings, counter: backends.counter, verifyReferences })) {
        reports.push({ ...report, verifyReferences });
      }
    }
    return reports;
  } finally {
    await backends.close();
  }
}

/** One line per report. */
export function formatFuzzReport(r: FuzzReport): string {
  const verdict = r.counterexample === undefined ? "ok" : `FAILED: ${r.counterexample}`;
  return `${r.resource.padEnd(15)} verifyReferences=${String(r.verifyReferences).padEnd(5)} ${String(r.inputs).padStart(6)} inputs: ${r.accepted} accepted, ${r.rejected} rejected with ${r.failures} failures; ${verdict}`;
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 2_000);
  runCheckFuzz({ runs, seed: Number(process.argv[3] ?? 15) })
    .then((reports) => {
      for (const r of reports) {
        console.log(formatFuzzReport(r));
      }
      process.exitCode = reports.some((r) => r.counterexample !== undefined) ? 1 : 0;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
