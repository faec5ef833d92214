/**
 * What a review needs from a `pulumi preview --json` run, read from either
 * of the CLI's two shapes: the digest it prints by default (one JSON object
 * with `steps`; the CLI leaves policy violations out of it), or the event
 * stream it prints with `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true` (a JSON
 * object per line, policy events included).
 */
import { z } from "zod";

/** A resource's state in a step: inputs and outputs, values unknown in preview as the unknown marker. */
export interface StepState {
  /** Inputs. */
  readonly inputs: Record<string, unknown>;
  /** Outputs (the state for an existing resource). */
  readonly outputs: Record<string, unknown>;
  /** URNs each input depends on (the digest carries them; the event stream does not). */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** One resource's planned operation. */
export interface PlannedStep {
  /** `create`, `update`, `replace`, `delete`, `same`, ... (replacement steps folded into `replace`). */
  readonly op: string;
  /** The resource's URN. */
  readonly urn: string;
  /** Type token. */
  readonly type: string;
  /** Pulumi resource name. */
  readonly name: string;
  /** State before, for a resource that exists. */
  readonly old: StepState | undefined;
  /** State after, for a resource that stays. */
  readonly new: StepState | undefined;
  /** Properties whose change forces the replacement. */
  readonly replaceKeys: readonly string[];
}

/** One policy violation. */
export interface ReportedViolation {
  /** Policy name. */
  readonly policy: string;
  /** `mandatory` or `advisory`. */
  readonly level: string;
  /** The violation message (without the policy's description). */
  readonly message: string;
  /** The resource, when the violation names one. */
  readonly urn: string | undefined;
}

/** What one preview planned and found. */
export interface PreviewRecord {
  /** Which of the CLI's two shapes it came from. */
  readonly format: "digest" | "events";
  /** Violations; undefined when the format does not carry them (the digest). */
  readonly violations: readonly ReportedViolation[] | undefined;
  /** Error diagnostics: `check()` failures and the like. */
  readonly errors: readonly { readonly urn: string | undefined; readonly message: string }[];
  /** Planned steps, one per resource. */
  readonly steps: readonly PlannedStep[];
}

const stateSchema = z.looseObject({
  inputs: z.record(z.string(), z.unknown()).nullish(),
  outputs: z.record(z.string(), z.unknown()).nullish(),
  propertyDependencies: z.record(z.string(), z.array(z.string())).nullish(),
});
const digestSchema = z.looseObject({
  steps: z.array(z.looseObject({ op: z.string(), urn: z.string(), oldState: stateSchema.nullish(), newState: stateSchema.nullish(), replaceReasons: z.array(z.string()).nullish() })).nullish(),
  diagnostics: z.array(z.looseObject({ urn: z.string().nullish(), message: z.string(), severity: z.string() })).nullish(),
});
const eventSchema = z.looseObject({
  resourcePreEvent: z.looseObject({ metadata: z.looseObject({ op: z.string(), urn: z.string(), old: stateSchema.nullish(), new: stateSchema.nullish(), keys: z.array(z.string()).nullish() }) }).optional(),
  policyEvent: z.looseObject({ resourceUrn: z.string().nullish(), message: z.string(), policyName: z.string(), enforcementLevel: z.string() }).optional(),
  diagnosticEvent: z.looseObject({ urn: z.string().nullish(), message: z.string(), prefix: z.string().nullish(), severity: z.string() }).optional(),
});

/** The type and name parts of a URN. Example: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/vmpools:VmPool::lab` -> VmPool token, `lab`. */
export function splitUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

const REPLACEMENT_OPS = new Set(["replace", "create-replacement", "delete-replaced", "discard-replaced"]);

function toState(state: z.infer<typeof stateSchema> | null | undefined): StepState | undefined {
  return state === null || state === undefined ? undefined : { inputs: state.inputs ?? {}, outputs: state.outputs ?? {}, propertyDependencies: state.propertyDependencies ?? {} };
}

/** One step per URN, in first-seen order; any replacement step makes it a `replace`. */
function foldSteps(raw: readonly { op: string; urn: string; old: StepState | undefined; new: StepState | undefined; replaceKeys: readonly string[] }[]): PlannedStep[] {
  const byUrn = new Map<string, PlannedStep>();
  for (const step of raw) {
    const earlier = byUrn.get(step.urn);
    const replaced = REPLACEMENT_OPS.has(step.op) || (earlier !== undefined && earlier.op === "replace");
    byUrn.set(step.urn, {
      ...splitUrn(step.urn),
      urn: step.urn,
      op: replaced ? "replace" : step.op,
      old: step.old ?? earlier?.old,
      new: step.new ?? earlier?.new,
      replaceKeys: step.replaceKeys.length > 0 ? step.replaceKeys : (earlier?.replaceKeys ?? []),
    });
  }
  return [...byUrn.values()];
}

/** The violation message without the policy description the engine puts on its first line. */
function stripDescription(message: string): string {
  const lines = message.trimEnd().split("\n");
  return (lines.length > 1 ? lines.slice(1) : lines).join(" ").trim();
}

/** The text as one JSON document, or undefined when it is not one (an event stream is one per line). */
function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a recorded `pulumi preview --json` run, in either shape; throws on anything else. */
export function readPreviewRecord(text: string): PreviewRecord {
  const trimmed = text.trim();
  const asDigest = digestSchema.safeParse(parseWhole(trimmed));
  if (asDigest.success && asDigest.data.steps !== undefined) {
    const digest = asDigest.data;
    return {
      format: "digest",
      violations: undefined,
      errors: (digest.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => ({ urn: d.urn ?? undefined, message: d.message.replace(/^error: /, "").trim() })),
      steps: foldSteps((digest.steps ?? []).map((s) => ({ op: s.op, urn: s.urn, old: toState(s.oldState), new: toState(s.newState), replaceKeys: s.replaceReasons ?? [] }))),
    };
  }
  const steps: Parameters<typeof foldSteps>[0][number][] = [];
  const violations: ReportedViolation[] = [];
  const errors: { urn: string | undefined; message: string }[] = [];
  for (const line of trimmed.split("\n").filter((l) => l.trim() !== "")) {
    const event = eventSchema.parse(JSON.parse(line));
    const step = event.resourcePreEvent?.metadata;
    if (step !== undefined) {
      steps.push({ op: step.op, urn: step.urn, old: toState(step.old), new: toState(step.new), replaceKeys: step.keys ?? [] });
    }
    const policy = event.policyEvent;
    if (policy !== undefined) {
      violations.push({ policy: policy.policyName, level: policy.enforcementLevel, message: stripDescription(policy.message), urn: policy.resourceUrn ?? undefined });
    }
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error") {
      errors.push({ urn: diagnostic.urn ?? undefined, message: diagnostic.message.trim() });
    }
  }
  return { format: "events", violations, errors, steps: foldSteps(steps) };
}
