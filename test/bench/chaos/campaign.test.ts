/**
 * The fault campaign in short (`npm run chaos` runs it long): a few
 * randomized runs against the engine sandbox with faults injected, each
 * followed by a clean re-run, and no invariant broken.
 */
import { describe, expect, it } from "vitest";

import { runCampaign } from "../../../bench/chaos/campaign";
import { formatSummary } from "../../../bench/chaos/main";

describe("the fault campaign, short", () => {
  it("rides through injected faults without a duplicate, an orphan, an unsafe shrink or state that differs from the engine", async () => {
    const summary = await runCampaign({ runs: 8, seed: 20_260_101, timeBudgetMs: 45_000 });
    const text = formatSummary(summary).join("\n");
    expect(summary.violations, text).toEqual([]);
    expect(summary.runs, text).toBeGreaterThanOrEqual(4);
    expect(summary.faultsInjected, text).toBeGreaterThan(0);
    expect(summary.checks, text).toBe(summary.runs * 2 + 1);
  }, 90_000);
});
