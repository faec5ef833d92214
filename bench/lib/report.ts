/**
 * The benchmark's results as Markdown tables (printed, and written with the
 * raw figures as JSON and a chart as SVG under `bench-results/`). Every
 * figure is a count or a ratio measured in the same run; absolute times
 * appear only in brackets beside their ratio.
 */
import type { FuzzReport } from "../fuzz/run";
import type { KubernetesOverheadResult } from "../kubernetes-overhead";
import type { KubernetesManyPoolsRow } from "../many-pools-kubernetes";
import type { ManyPoolsRow } from "../many-pools";
import type { PeerRow } from "../peers";
import type { Panel } from "./svg-chart";

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly peers?: { readonly latencyMs: number; readonly rows: readonly PeerRow[] };
  readonly manyPools?: { readonly latencyMs: number; readonly engineThreshold: number; readonly rows: readonly ManyPoolsRow[] };
  readonly fuzz?: { readonly runsPerResource: number; readonly reports: readonly FuzzReport[] };
  readonly kubernetes?: KubernetesOverheadResult;
  readonly kubernetesManyPools?: readonly KubernetesManyPoolsRow[];
  /** What was skipped, and why. */
  readonly skipped: readonly string[];
}

const ratio = (a: number, b: number): string => (b === 0 ? "—" : a / b < 0.005 ? "<0.01×" : `${(a / b).toFixed(2)}×`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;

function peersTable(peers: NonNullable<BenchResults["peers"]>): string[] {
  const lines = [
    `### Ours against Ansible's \`ovirt.ovirt.ovirt_vmpool\`, same engine sandbox, ${peers.latencyMs} ms latency per request`,
    "",
    "| Operation | VMs | Engine calls, ours / Ansible | Writes, ours / floor | Calls that are not polling, floor | Wall time, ours / Ansible |",
    "| --- | ---: | --- | --- | ---: | --- |",
  ];
  for (const r of peers.rows) {
    lines.push(
      `| ${r.operation} | ${r.vms} | ${r.ours.calls.total} / ${r.ansible.calls.total} = **${ratio(r.ours.calls.total, r.ansible.calls.total)}** | ${r.ours.calls.writes} / ${r.operation.includes("unchanged") ? 0 : 1} | ${r.floor} | **${ratio(r.ours.ms, r.ansible.ms)}** (${seconds(r.ours.ms)} / ${seconds(r.ansible.ms)}) |`,
    );
  }
  lines.push("", "Engine calls count every request the sandbox received: API reads and writes, SSO logins and logouts (ours: the provider's one login per run; Ansible: `ovirt_auth` in and out).");
  return lines;
}

function lifecycleTotals(rows: readonly PeerRow[], vms: number): { oursCalls: number; theirCalls: number; oursMs: number; theirMs: number } {
  const at = rows.filter((r) => r.vms === vms);
  return {
    oursCalls: at.reduce((n, r) => n + r.ours.calls.total, 0),
    theirCalls: at.reduce((n, r) => n + r.ansible.calls.total, 0),
    oursMs: at.reduce((n, r) => n + r.ours.ms, 0),
    theirMs: at.reduce((n, r) => n + r.ansible.ms, 0),
  };
}

function scaleTable(rows: readonly PeerRow[]): string[] {
  const sizes = [...new Set(rows.map((r) => r.vms))];
  const smallest = sizes[0] ?? 0;
  const peakAt = (vms: number): number => Math.max(...rows.filter((r) => r.vms === vms).map((r) => r.ours.providerPeakKiB));
  const lines = [
    "### Scale: the whole lifecycle (the six operations above) per pool size",
    "",
    "| VMs | Engine calls, ours / Ansible | Wall time, ours / Ansible | Provider process peak memory, vs the smallest pool |",
    "| ---: | --- | --- | --- |",
  ];
  for (const vms of sizes) {
    const t = lifecycleTotals(rows, vms);
    lines.push(
      `| ${vms} | ${t.oursCalls} / ${t.theirCalls} = **${ratio(t.oursCalls, t.theirCalls)}** | **${ratio(t.oursMs, t.theirMs)}** (${seconds(t.oursMs)} / ${seconds(t.theirMs)}) | **${ratio(peakAt(vms), peakAt(smallest))}** (${mib(peakAt(vms))}) |`,
    );
  }
  return lines;
}

function manyPoolsTable(many: NonNullable<BenchResults["manyPools"]>): string[] {
  const base = many.rows.find((r) => r.parallel === 1)?.ms ?? 0;
  const lines = [
    `### Many pools at once: a stack of ${many.rows[0]?.pools ?? 0} pools, ${many.latencyMs} ms latency per request, the engine answering 503 from ${many.engineThreshold} requests in flight`,
    "",
    "| `pulumi up --parallel` | `ovirtMaxConcurrentRequests` | Time vs `--parallel 1` | Pools created | Errors | Peak requests in flight at the engine | 503s answered | Logins | Engine calls |",
    "| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of many.rows) {
    lines.push(
      `| ${r.parallel} | ${r.limit} | **${ratio(r.ms, base)}** (${seconds(r.ms)}) | ${r.poolsCreated} / ${r.pools} | ${r.ok ? 0 : "failed"} | ${r.peakInFlight} | ${r.overloaded} | ${r.calls.sso} | ${r.calls.total} |`,
    );
  }
  return lines;
}

function fuzzTable(fuzz: NonNullable<BenchResults["fuzz"]>): string[] {
  const lines = [
    `### Fuzzing \`check()\`: ${fuzz.runsPerResource} generated inputs per resource and mode`,
    "",
    "| Resource | Reference checks | Inputs | Accepted | Rejected (failures reported) | Broken properties (threw, failure naming no property, request sent) |",
    "| --- | --- | ---: | ---: | --- | --- |",
  ];
  for (const r of fuzz.reports) {
    const broke = r.counterexample === undefined ? "none" : `**${r.counterexample.slice(0, 120).replace(/\|/g, "\\|")}**`;
    lines.push(`| ${r.resource} | ${r.verifyReferences ? "on (reads allowed, never writes)" : "off (no request at all)"} | ${r.inputs} | ${r.accepted} | ${r.rejected} (${r.failures}) | ${broke} |`);
  }
  return lines;
}

function kubernetesTable(k: KubernetesOverheadResult): string[] {
  const lines = [
    `### Pulumi overhead on Kubernetes: ${k.pools} KubeVirt pools through \`VmPool\` against the same objects as \`@pulumi/kubernetes\` \`CustomResource\`s (plugin ${k.kubernetesPluginVersion}), one API server, median of ${k.rounds} rounds`,
    "",
    "| Operation | Time, ours / `@pulumi/kubernetes` |",
    "| --- | --- |",
  ];
  for (const r of k.rows) {
    const label = r.operation === "preview --policy-pack vs preview" ? "our `preview --policy-pack`, against our plain `preview`" : r.operation;
    lines.push(`| ${label} | **${ratio(r.oursMs, r.theirsMs)}** (${seconds(r.oursMs)} / ${seconds(r.theirsMs)})${r.ok ? "" : " — a run FAILED"} |`);
  }
  return lines;
}

function kubernetesManyPoolsTable(rows: readonly KubernetesManyPoolsRow[]): string[] {
  const base = rows.find((r) => r.parallel === 1)?.ms ?? 0;
  const lines = [
    `### Many pools at once on a real API server: a stack of ${rows[0]?.pools ?? 0} KubeVirt pools`,
    "",
    "| `pulumi up --parallel` | Time vs `--parallel 1` | Pools created | Errors |",
    "| ---: | --- | --- | ---: |",
  ];
  for (const r of rows) {
    lines.push(`| ${r.parallel} | **${ratio(r.ms, base)}** (${seconds(r.ms)}) | ${r.poolsCreated} / ${r.pools} | ${r.ok ? 0 : "failed"} |`);
  }
  return lines;
}

/** The Markdown report. */
export function toMarkdown(results: BenchResults): string {
  const sections: string[][] = [[`## \`npm run bench\` — ${results.startedAt}, ${results.machine.cpus} CPUs, Node ${results.machine.node}`, ""]];
  if (results.peers !== undefined) {
    sections.push(peersTable(results.peers), [""], scaleTable(results.peers.rows), [""]);
  }
  if (results.manyPools !== undefined) {
    sections.push(manyPoolsTable(results.manyPools), [""]);
  }
  if (results.kubernetes !== undefined) {
    sections.push(kubernetesTable(results.kubernetes), [""]);
  }
  if (results.kubernetesManyPools !== undefined) {
    sections.push(kubernetesManyPoolsTable(results.kubernetesManyPools), [""]);
  }
  if (results.fuzz !== undefined) {
    sections.push(fuzzTable(results.fuzz), [""]);
  }
  if (results.skipped.length > 0) {
    sections.push(["Skipped: " + results.skipped.join("; "), ""]);
  }
  return sections.flat().join("\n");
}

/** The chart's panels: lifecycle calls and time per pool size, ours against Ansible's. */
export function toChartPanels(rows: readonly PeerRow[]): { panels: Panel[]; sizes: number[] } {
  const sizes = [...new Set(rows.map((r) => r.vms))];
  const totals = sizes.map((vms) => lifecycleTotals(rows, vms));
  const series = (pick: (t: ReturnType<typeof lifecycleTotals>) => [number, number]): Panel["series"] => [
    { label: "pulumi-vmpools", color: "#6c3fc5", values: totals.map((t) => pick(t)[0]) },
    { label: "Ansible ovirt_vmpool", color: "#d9482b", values: totals.map((t) => pick(t)[1]) },
  ];
  return {
    sizes,
    panels: [
      { title: "Engine calls, whole lifecycle", unit: "calls", series: series((t) => [t.oursCalls, t.theirCalls]) },
      { title: "Wall time, whole lifecycle (s)", unit: "seconds", series: series((t) => [Math.round(t.oursMs / 100) / 10, Math.round(t.theirMs / 100) / 10]) },
    ],
  };
}
