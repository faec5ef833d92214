/**
 * A preview as a short Markdown summary for a pull-request comment: policy
 * violations first, then what deserves a reviewer's eye (pool size changes
 * with the VMs that would go, pools replaced or deleted with the VMs users
 * hold in them now, permission changes), then the rest in one line.
 */
import { isUnknown } from "../../provider/check";
import { POOL_PERMISSION_TYPE } from "../../provider/pool-permission";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import type { PlannedStep, PreviewRecord, ReportedViolation, StepState } from "./preview-record";
import { splitUrn } from "./preview-record";

/** `pulumi-nodejs:dynamic/vmpools:VmPool` -> `VmPool`. */
function shortType(type: string): string {
  return type.split(":").pop() ?? type;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function describeResource(urn: string | undefined): string {
  if (urn === undefined) {
    return "the stack";
  }
  const { type, name } = splitUrn(urn);
  return type === "pulumi:pulumi:Stack" ? "the stack" : `${shortType(type)} ${code(name)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function readNumber(value: unknown): number | undefined {
  return typeof value === "number" && !isUnknown(value) ? value : undefined;
}

function readString(value: unknown): string | undefined {
  return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

function member(state: StepState | undefined, key: string): unknown {
  return state?.outputs[key] ?? state?.inputs[key];
}

function renderViolations(violations: readonly ReportedViolation[] | undefined): string[] {
  if (violations === undefined) {
    return [
      "Not in this file: `pulumi preview --json` leaves policy violations out. Record the preview as an event stream to have them here:",
      "`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json --policy-pack <pack> > preview.json`.",
    ];
  }
  if (violations.length === 0) {
    return ["None."];
  }
  // Mandatory first; then by policy and resource, as the engine's order varies from run to run.
  const order = (v: ReportedViolation): number => (v.level === "mandatory" ? 0 : 1);
  const sorted = [...violations].sort((a, b) => order(a) - order(b) || a.policy.localeCompare(b.policy) || describeResource(a.urn).localeCompare(describeResource(b.urn)));
  return ["| Level | Policy | Resource | Violation |", "| --- | --- | --- | --- |", ...sorted.map((v) => `| ${v.level} | ${code(v.policy)} | ${describeResource(v.urn)} | ${cell(v.message)} |`)];
}

/** What a pool's users lose with it, from the state: how many of its VMs they hold (oVirt reports it). */
function describeHeld(old: StepState | undefined): string {
  const taken = readNumber(old?.outputs["takenVmCount"]);
  return taken === undefined ? "" : taken === 0 ? ", none held by users now" : `, ${taken} of them held by users now`;
}

function describeShrink(step: PlannedStep, from: number, to: number): string {
  const excess = from - to;
  const vms = step.old?.outputs["vms"];
  const kind = readString((member(step.old, "backend") as Record<string, unknown> | undefined)?.["kind"]);
  if (!Array.isArray(vms)) {
    return `size ${from} → ${to}: ${plural(excess, "VM")} go${kind === "kubevirt" ? " (KubeVirt picks which)" : ""}`;
  }
  const down = (vms as { name?: unknown; status?: unknown }[])
    .filter((vm) => vm.status === "down" && typeof vm.name === "string")
    .map((vm) => String(vm.name))
    .reverse();
  const candidates = down.slice(0, excess);
  const taken = readNumber(step.old?.outputs["takenVmCount"]);
  const parts = [`size ${from} → ${to}: ${plural(excess, "VM")} go, the newest that are down and free when \`up\` runs (down now: ${candidates.map(code).join(", ") || "none"})`];
  if (candidates.length < excess) {
    parts.push(`only ${candidates.length} ${candidates.length === 1 ? "is" : "are"} down now, so the shrink fails unless \`forceShrink\` is set`);
  }
  if (taken !== undefined && taken > 0) {
    parts.push(`${plural(taken, "VM")} held by users now stay`);
  }
  return parts.join("; ");
}

function describePoolStep(step: PlannedStep): string | undefined {
  const oldSize = readNumber(member(step.old, "size"));
  const vmCount = readNumber(step.old?.outputs["vmCount"]) ?? oldSize;
  switch (step.op) {
    case "update": {
      const newSize = member(step.new, "size");
      const to = readNumber(newSize);
      if (oldSize === undefined || newSize === undefined || to === oldSize) {
        return undefined;
      }
      if (to === undefined) {
        return `size ${oldSize} → unknown until \`up\``;
      }
      return to > oldSize ? `size ${oldSize} → ${to}: ${plural(to - oldSize, "VM")} added` : describeShrink(step, oldSize, to);
    }
    case "replace": {
      const why = step.replaceKeys.length === 0 ? "" : ` (${step.replaceKeys.map(code).join(", ")} changed)`;
      return `is **replaced**${why}: its ${vmCount === undefined ? "VMs" : plural(vmCount, "VM")} are deleted and created anew${describeHeld(step.old)}`;
    }
    case "delete":
      return `is **deleted**: its ${vmCount === undefined ? "VMs go" : `${plural(vmCount, "VM")} go`}${describeHeld(step.old)}`;
    default:
      return undefined;
  }
}

/** What a permission grants: role, principal and pool (undefined parts are unknown in preview). */
interface Grant {
  readonly role: string | undefined;
  readonly principal: string | undefined;
  readonly pool: string | undefined;
}

function readGrant(state: StepState | undefined): Grant {
  const user = readString(member(state, "user"));
  const group = readString(member(state, "group"));
  const poolUrn = state?.propertyDependencies["pool"]?.[0];
  return {
    role: readString(member(state, "role")),
    principal: user !== undefined ? `user ${code(user)}` : group !== undefined ? `group ${code(group)}` : undefined,
    pool: readString((member(state, "pool") as Record<string, unknown> | undefined)?.["name"]) ?? (poolUrn === undefined ? undefined : splitUrn(poolUrn).name),
  };
}

/** `UserRole for group `vdi-users` on pool `lab-??``; `withPool: false` leaves the pool out. */
function describeGrant(grant: Grant, withPool: boolean): string {
  const what = `${grant.role ?? "(a role known after `up`)"} for ${grant.principal ?? "(a principal known after `up`)"}`;
  if (!withPool) {
    return what;
  }
  return `${what} on ${grant.pool === undefined ? "a pool still to be created" : `pool ${code(grant.pool)}`}`;
}

function describePermissionStep(step: PlannedStep): string | undefined {
  const before = readGrant(step.old);
  const after = readGrant(step.new);
  switch (step.op) {
    case "create":
      return `is **created**: ${describeGrant(after, true)}`;
    case "delete":
      return `is **deleted**: ${describeGrant(before, true)}`;
    case "update":
    case "replace": {
      const samePool = after.pool === undefined || after.pool === before.pool;
      if (before.role === after.role && before.principal === after.principal && samePool) {
        // Only its pool's outputs are unknown while the pool changes: nothing to review here.
        return undefined;
      }
      return `${step.op === "replace" ? "is **replaced**" : "**changes**"}: ${describeGrant(before, true)} → ${describeGrant(after, !samePool)}`;
    }
    default:
      return undefined;
  }
}

/** Pools first, then permissions, then the rest; by name within each: the engine's order varies from run to run. */
function compareSteps(a: PlannedStep, b: PlannedStep): number {
  const rank = (step: PlannedStep): number => [VM_POOL_TYPE, POOL_PERMISSION_TYPE].indexOf(step.type) >>> 0;
  return rank(a) - rank(b) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
}

function renderChanges(steps: readonly PlannedStep[]): { reviewed: string[]; rest: string[] } {
  const reviewed: string[] = [];
  const rest: string[] = [];
  for (const step of [...steps].sort(compareSteps)) {
    if (step.op === "same" || step.type === "pulumi:pulumi:Stack" || step.type.startsWith("pulumi:providers:")) {
      continue;
    }
    const description = step.type === VM_POOL_TYPE ? describePoolStep(step) : step.type === POOL_PERMISSION_TYPE ? describePermissionStep(step) : undefined;
    if (description === undefined) {
      const size = step.type === VM_POOL_TYPE && step.op === "create" ? readNumber(member(step.new, "size")) : undefined;
      const note = size !== undefined ? ` (${plural(size, "VM")})` : step.type === POOL_PERMISSION_TYPE ? " (planned while its pool's outputs are unknown; nothing changes unless the pool is recreated)" : "";
      rest.push(`${step.op} ${describeResource(step.urn)}${note}`);
    } else {
      reviewed.push(`- ${describeResource(step.urn)}: ${description}`);
    }
  }
  return { reviewed, rest };
}

/** The Markdown summary of one preview. */
export function renderReview(record: PreviewRecord): string {
  const stack = record.steps[0]?.urn.split("::")[0]?.split(":").pop();
  const mandatory = record.violations?.filter((v) => v.level === "mandatory").length ?? 0;
  const advisory = record.violations?.filter((v) => v.level !== "mandatory").length ?? 0;
  const verdict =
    record.violations === undefined
      ? record.errors.length > 0
        ? "**The preview fails.**"
        : "The preview passes; policy violations are not in this file."
      : mandatory > 0 || record.errors.length > 0
        ? `**The preview fails**: ${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory warning")}.`
        : `The preview passes: no mandatory violations, ${plural(advisory, "advisory warning")}.`;
  const { reviewed, rest } = renderChanges(record.steps);
  const errors = record.errors.filter((e) => e.urn !== undefined || !/^preview failed$/.test(e.message));
  const lines = [
    `## pulumi-vmpools review${stack === undefined ? "" : ` of stack ${code(stack)}`}`,
    "",
    verdict,
    "",
    "### Policy violations",
    "",
    ...renderViolations(record.violations),
    ...(errors.length === 0 ? [] : ["", "### Errors", "", ...errors.map((e) => `- ${describeResource(e.urn)}: ${cell(e.message)}`)]),
    "",
    "### Changes to review",
    "",
    ...(reviewed.length === 0 ? ["None: no pool changes size, is replaced or deleted, and no permission changes."] : reviewed),
    "",
    rest.length === 0 ? "Nothing else changes." : `Also: ${rest.join("; ")}.`,
  ];
  return `${lines.join("\n")}\n`;
}
