/**
 * Reading request bodies the way the engine's JSON provider does: unknown
 * attributes are ignored, typed attributes must have their JSON type.
 */
import { malformedBody } from "./faults";

/** A parsed JSON object body. */
export type Body = Record<string, unknown>;

/** Parses a request body; an empty body is `{}`. */
export function parseBody(raw: string): Body {
  if (raw.trim() === "") {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw malformedBody(`Request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw malformedBody("Request body must be a JSON object");
  }
  return parsed as Body;
}

/** A string attribute, or undefined when absent. */
export function readString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== "string") {
    throw malformedBody(`Attribute '${key}' must be a string`);
  }
  return value;
}

/** An integer attribute (JSON number or numeric string, as Jackson coerces). */
export function readInt(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw malformedBody(`Attribute '${key}' must be an integer`);
  }
  return n;
}

/** A boolean attribute (JSON boolean or "true"/"false"). */
export function readBool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (value === "true" || value === "false") {
    return value === "true";
  }
  if (typeof value !== "boolean") {
    throw malformedBody(`Attribute '${key}' must be a boolean`);
  }
  return value;
}

/** A nested object attribute, or undefined. */
export function readObject(body: Body, key: string): Body | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw malformedBody(`Attribute '${key}' must be an object`);
  }
  return value as Body;
}

/** A reference `{id}` or `{name}` to another entity. */
export interface Reference {
  id: string | undefined;
  name: string | undefined;
}

/** Reads a reference attribute such as `cluster: {name: "Default"}`. */
export function readReference(body: Body, key: string): Reference | undefined {
  const ref = readObject(body, key);
  if (ref === undefined) {
    return undefined;
  }
  const id = readString(ref, "id");
  const name = readString(ref, "name");
  return id === undefined && name === undefined ? undefined : { id, name };
}
