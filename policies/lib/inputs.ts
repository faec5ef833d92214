/**
 * Resource properties as policies see them, made safe to read. The policy
 * server hands over `props` wrapped in a proxy that throws `UnknownValueError`
 * on any value still unknown during preview (a `VmPool`'s `trustedCluster`
 * before its `TrustedCluster` exists, a `PoolPermission`'s `pool` before the
 * pool has a uid). Read through that proxy, one unknown field would stop a
 * whole policy; copied here with the provider's own unknown marker, each rule
 * decides for itself and skips only what it cannot know.
 */
import { isUnknown, UNKNOWN } from "../../provider/check";
import { UnknownValueError } from "./policy-sdk";

export { isUnknown, UNKNOWN };

/** A plain JSON-like value; unknowns are {@link UNKNOWN}. */
export type PlainValue = string | number | boolean | null | undefined | PlainValue[] | { [key: string]: PlainValue };

/** A plain object of properties. */
export type PlainProps = Record<string, PlainValue>;

function readMember(source: object, key: string | number): unknown {
  try {
    return (source as Record<string | number, unknown>)[key];
  } catch (err) {
    if (err instanceof UnknownValueError) {
      return UNKNOWN;
    }
    throw err;
  }
}

/**
 * A deep, plain copy of policy-server properties: every value the proxy
 * reports unknown becomes {@link UNKNOWN}, as the provider's `check()` sees
 * it. Example: `{ size: 3, trustedCluster: <unknown> }` -> `{ size: 3,
 * trustedCluster: UNKNOWN }`.
 */
export function toPlainProps(props: unknown): PlainProps {
  const plain = toPlainValue(props);
  return typeof plain === "object" && plain !== null && !Array.isArray(plain) ? plain : {};
}

function toPlainValue(value: unknown): PlainValue {
  if (isUnknown(value)) {
    return UNKNOWN;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return value;
  }
  if (Array.isArray(value)) {
    return Array.from({ length: value.length }, (_, i) => toPlainValue(readMember(value, i)));
  }
  if (typeof value === "object") {
    const copy: Record<string, PlainValue> = {};
    for (const key of Object.keys(value)) {
      copy[key] = toPlainValue(readMember(value, key));
    }
    return copy;
  }
  // Functions, symbols and bigints never come from the engine.
  return undefined;
}

/** Whether a value is a plain object (not null, not an array, not unknown). */
export function isRecord(value: PlainValue): value is { [key: string]: PlainValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The member at `path`, {@link UNKNOWN} when any step is unknown, undefined when absent. */
export function readPath(value: PlainValue, ...path: string[]): PlainValue {
  let current = value;
  for (const key of path) {
    if (isUnknown(current)) {
      return UNKNOWN;
    }
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}

/** The member at `path` of any value, or undefined when a step is not an object. Example: `dig({ a: { b: 1 } }, "a", "b")` -> 1. */
export function dig(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
