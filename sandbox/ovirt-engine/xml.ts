/**
 * XML as the engine renders it (JAXB): the same model as the JSON, with
 * `id` and `href` as attributes, references as empty elements with those
 * attributes, `<link href rel/>` entries, collections as `<vm_pools>` around
 * `<vm_pool>` elements (an empty one as `<vm_pools/>`), actions as
 * `<action>` and faults as `<fault><reason/><detail/></fault>`. Built with
 * fast-xml-builder and parsed with fast-xml-parser, not by string building.
 */
import XMLBuilder from "fast-xml-builder";
import { XMLParser } from "fast-xml-parser";

import { malformedBody } from "./faults";

/** Attributes, rather than child elements, in the engine's XML. */
const ATTRIBUTES = new Set(["id", "href", "rel"]);

type XmlNode = Record<string, unknown>;

/** Date attributes: epoch milliseconds in JSON, xsd:dateTime in XML. */
const DATE_KEYS = new Set(["creation_time", "start_time", "end_time", "last_updated"]);

/** `1795617429348` -> `2026-11-25T14:37:09.348+00:00`, as JAXB writes dates. */
export function toXmlDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "+00:00");
}

function toXmlValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(toXmlValue);
  }
  if (typeof value === "object" && value !== null) {
    const node: XmlNode = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (child === undefined) {
        continue;
      }
      if (ATTRIBUTES.has(key) && (typeof child === "string" || typeof child === "number")) {
        node[`@_${key}`] = String(child);
      } else if (DATE_KEYS.has(key) && typeof child === "number") {
        node[key] = toXmlDate(child);
      } else {
        node[key] = toXmlValue(child);
      }
    }
    return node;
  }
  return typeof value === "boolean" || typeof value === "number" ? String(value) : value;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/**
 * Renders one answer. `root` is the element of an entity (`vm_pool`), of an
 * action (`action`) or `fault`; a JSON collection (`{"vm_pool": [...]}` or
 * `{}`) becomes `<vm_pools>` when `collection` names its element.
 */
export function toXml(body: unknown, root: string, collection?: string): string {
  let document: XmlNode;
  if (collection !== undefined) {
    const items = (body as Record<string, unknown> | undefined)?.[collection];
    document = { [`${collection}s`]: Array.isArray(items) && items.length > 0 ? { [collection]: toXmlValue(items) } : "" };
  } else {
    document = { [root]: toXmlValue(body) };
  }
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${builder.build(document)}`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

function fromXmlValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(fromXmlValue);
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      out[key] = fromXmlValue(child);
    }
    return out;
  }
  return value;
}

/**
 * Parses a request body in XML into the same shape the JSON bodies have:
 * the root element's content, attributes as keys, text as strings (the body
 * readers accept numeric and boolean strings as the engine's JAXB does).
 */
export function parseXmlBody(raw: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parser.parse(raw, true);
  } catch (err) {
    throw malformedBody(`Request body is not valid XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== "object" || parsed === null) {
    throw malformedBody("Request body must be an XML element");
  }
  const roots = Object.values(parsed as Record<string, unknown>);
  const root = roots[0];
  if (roots.length !== 1) {
    throw malformedBody("Request body must have exactly one root element");
  }
  return typeof root === "object" && root !== null && !Array.isArray(root) ? (fromXmlValue(root) as Record<string, unknown>) : {};
}

/** The singular element of a collection path segment: `vmpools` -> `vm_pool`. */
const ELEMENTS: Record<string, string> = {
  vmpools: "vm_pool",
  vms: "vm",
  clusters: "cluster",
  datacenters: "data_center",
  hosts: "host",
  templates: "template",
  users: "user",
  groups: "group",
  roles: "role",
  jobs: "job",
  permissions: "permission",
  schedulingpolicies: "scheduling_policy",
  macpools: "mac_pool",
};

/** The action verbs the sandbox serves. */
const ACTIONS = new Set(["allocatevm", "detach", "stop", "shutdown", "start", "suspend"]);

/**
 * Which element an answer to `method path` (below the API root) renders as:
 * `{root}` for an entity or action, `{collection}` for a listing.
 */
export function toXmlShape(method: string, path: string): { root: string; collection?: string } {
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.length === 0) {
    return { root: "api" };
  }
  const last = parts[parts.length - 1] ?? "";
  if (method === "POST" && ACTIONS.has(last)) {
    return { root: "action" };
  }
  // The innermost collection named in the path: /vmpools/1/permissions/2 -> permission.
  const segments = parts.filter((p) => ELEMENTS[p] !== undefined);
  const element = ELEMENTS[segments[segments.length - 1] ?? ""] ?? "api";
  const isCollection = ELEMENTS[last] !== undefined && method === "GET";
  return isCollection ? { root: `${element}s`, collection: element } : { root: element };
}
