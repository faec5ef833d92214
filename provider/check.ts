import type { z } from "zod";

/**
 * The value Pulumi sends for an input that is not known yet (during preview),
 * whatever the input's declared type (`unknownValue` in
 * `@pulumi/pulumi/runtime/rpc`). Copied rather than imported so the runtime
 * does not load the SDK's internals.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One problem reported by `check()`, as Pulumi's `CheckFailure`. */
export interface CheckFailure {
  /** Dotted path of the property, e.g. `backend.namespace`. */
  property: string;
  /** What is wrong, the value received and what is allowed. */
  reason: string;
}

/** What `check()` returns: inputs with defaults, or every failure found. */
export interface CheckOutcome<T> {
  /** Parsed inputs with defaults applied; the raw inputs when some are unknown. */
  inputs: T | Record<string, unknown>;
  /** Every problem found; empty when the inputs are valid. */
  failures: CheckFailure[];
  /** The parsed inputs when the schema accepted them (they may still hold unknown strings). */
  valid: T | undefined;
}

/** Whether a value is Pulumi's "unknown during preview" sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Paths of every unknown value inside `value`. */
export function findUnknownPaths(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (isUnknown(value)) {
    return [path];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findUnknownPaths(item, [...path, index]));
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => findUnknownPaths(item, [...path, key]));
  }
  return [];
}

function isPrefix(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => part === path[i]);
}

const MAX_SHOWN_VALUE = 80;

/** Renders a received value for a message, shortened so a big object cannot flood the output. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return "nothing";
  }
  // JSON.stringify answers undefined for functions and symbols.
  const text = (JSON.stringify(value) as string | undefined) ?? typeof value;
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE - 3)}...` : text;
}

/**
 * A key written as is in a property path. Label keys keep their dots
 * (`labels.kubevirt.io/vmpool`, as messages have always named them); only
 * an empty key or one with brackets or quotes is quoted.
 */
const PLAIN_KEY = /^[^[\]"]+$/;

/**
 * A property path: `backend.cluster`, `spec.volumes.0.name`, and a key that
 * would be unreadable bare quoted, `[""]`, `metadata["a[0]"]`.
 */
export function toPropertyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      const text = String(key);
      if (typeof key === "number" || PLAIN_KEY.test(text)) {
        return i === 0 ? text : `.${text}`;
      }
      return `[${JSON.stringify(text)}]`;
    })
    .join("");
}

function toFailures(issue: z.core.$ZodIssue): CheckFailure[] {
  if (issue.code === "unrecognized_keys") {
    // One failure per unknown key, named by its own path, so even a
    // misspelt top-level input names a property Pulumi can point at.
    return issue.keys.map((key) => ({ property: toPropertyPath([...issue.path, key]), reason: "is not a known property; check the spelling against the documented fields" }));
  }
  return [toFailure(issue)];
}

function toFailure(issue: z.core.$ZodIssue): CheckFailure {
  const property = toPropertyPath(issue.path) || "(inputs)";
  let received = "input" in issue ? issue.input : undefined;
  // A failed discriminator reports the whole object as its input; show the
  // discriminator's own value, which is what the path points at.
  const last = issue.path[issue.path.length - 1];
  if (issue.code === "invalid_union" && typeof received === "object" && received !== null && last !== undefined && last in received) {
    received = (received as Record<PropertyKey, unknown>)[last];
  }
  return { property, reason: `${issue.message} (got ${describeValue(received)})` };
}

/**
 * Validates inputs against a schema the way `check()` must: every problem at
 * once with its property path, defaults applied on success, and values still
 * unknown during preview skipped rather than reported as type errors.
 * Never throws.
 */
export function checkInputs<S extends z.ZodType>(schema: S, news: Record<string, unknown>): CheckOutcome<z.infer<S>> {
  const unknownPaths = findUnknownPaths(news);
  const parsed = schema.safeParse(news, { reportInput: true });
  if (parsed.success) {
    return { inputs: parsed.data, failures: [], valid: parsed.data };
  }
  const failures = parsed.error.issues
    .filter((issue) => !unknownPaths.some((u) => isPrefix(u, issue.path) || isPrefix(issue.path, u)))
    .flatMap(toFailures);
  return { inputs: news, failures, valid: undefined };
}
