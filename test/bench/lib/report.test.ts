/**
 * The benchmark's report: ratios measured in one run with absolute times
 * only beside them, and a chart drawn as plain SVG.
 */
import { describe, expect, it } from "vitest";

import { toChartPanels, toMarkdown } from "../../../bench/lib/report";
import { renderLineChart } from "../../../bench/lib/svg-chart";
import type { PeerRow } from "../../../bench/peers";

const calls = (total: number, writes = 1): PeerRow["ours"]["calls"] => ({ total, reads: total - writes - 1, writes, sso: 1 });
const row = (vms: number, ours: number, theirs: number, oursMs: number, theirMs: number): PeerRow => ({
  operation: "create",
  vms,
  ours: { calls: calls(ours), ms: oursMs, providerPeakKiB: 200 * 1024 + vms },
  ansible: { calls: calls(theirs), ms: theirMs },
  floor: 1,
});

describe("the benchmark report", () => {
  const rows = [row(10, 10, 20, 2_000, 4_000), row(1000, 12, 1_010, 3_000, 30_000)];

  it("gives every figure as a ratio of the same run, with absolute times only beside it", () => {
    const md = toMarkdown({ startedAt: "2026-01-01T00:00:00.000Z", machine: { cpus: 2, node: "24.21.0" }, peers: { latencyMs: 20, rows }, skipped: [] });
    expect(md).toContain("| create | 10 | 10 / 20 = **0.50×** | 1 / 1 | 1 | **0.50×** (2.0 s / 4.0 s) |");
    expect(md).toContain("| 1000 | 12 / 1010 = **0.01×** | **0.10×** (3.0 s / 30.0 s) | **1.00×** (201 MiB) |");
  });

  it("draws calls and time per pool size, ours against Ansible's, as an SVG line chart", () => {
    const { panels, sizes } = toChartPanels(rows);
    const svg = renderLineChart(panels, sizes);
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain("Engine calls, whole lifecycle");
    expect(svg).toContain("Ansible ovirt_vmpool");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });
});
