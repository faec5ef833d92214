/**
 * The JSON Patch (RFC 6902) that brings a live `VirtualMachinePool` to new
 * inputs. Pure. `spec.replicas` is never in it: sizes go through the pool's
 * `scale` subresource, so a role that may only scale suffices for a size
 * change, and an autoscaled pool's replicas are never written at all.
 */
import { isDeepEqual } from "../../diff/input-diff";
import type { KubevirtPoolInputs } from "../../schemas/vm-pool";
import { TRUSTED_CLUSTER_ANNOTATION, toKubevirtPoolSpec, toOwnAnnotations, type ObservedKubevirtPool } from "./mapping";
import type { KubevirtPoolFeatures } from "./pool-features";
import { POLICY_SPEC_FIELDS } from "./pool-policy-mapping";

/** One operation of a JSON Patch (RFC 6902). */
export interface JsonPatchOperation {
  /** `test` guards, `replace` writes an existing member, `add` sets one, `remove` drops one. */
  readonly op: "test" | "replace" | "add" | "remove";
  /** JSON Pointer into the object. */
  readonly path: string;
  /** Expected (test) or new (replace, add) value; absent for remove. */
  readonly value?: unknown;
}

/** A JSON Pointer to a member of an object, escaping `~` and `/` in the key. */
function pointer(parent: string, key: string): string {
  return `${parent}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/**
 * The patch that brings the live pool to the inputs, or `[]` when nothing
 * but the size differs. Only fields that can change in place are written;
 * the selector and identity never are. The leading `test` of
 * `resourceVersion` makes the server refuse (422) the whole patch if the
 * pool changed since it was read; `replace` of the whole VM template (rather
 * than a merge) drops fields the user removed; a policy field the inputs no
 * longer ask for is removed.
 */
export function toKubevirtPoolPatch(inputs: KubevirtPoolInputs, live: ObservedKubevirtPool, features: KubevirtPoolFeatures): JsonPatchOperation[] {
  const spec = toKubevirtPoolSpec(inputs, features);
  const ops: JsonPatchOperation[] = [];
  const liveTemplate = { metadata: { labels: live.labels, annotations: live.annotations }, spec: live.vmSpec };
  if (!isDeepEqual(spec["virtualMachineTemplate"], liveTemplate)) {
    ops.push({ op: "replace", path: "/spec/virtualMachineTemplate", value: spec["virtualMachineTemplate"] });
  }
  const ours = toOwnAnnotations(inputs);
  if (live.poolAnnotations === undefined) {
    ops.push({ op: "add", path: "/metadata/annotations", value: ours });
  } else {
    const annotations = live.poolAnnotations;
    ops.push(...Object.entries(ours).filter(([key, value]) => annotations[key] !== value).map(([key, value]): JsonPatchOperation => ({ op: "add", path: pointer("/metadata/annotations", key), value })));
    if (annotations[TRUSTED_CLUSTER_ANNOTATION] !== undefined && ours[TRUSTED_CLUSTER_ANNOTATION] === undefined) {
      // The pool left its trusted cluster; `remove` of a missing member would fail the patch.
      ops.push({ op: "remove", path: pointer("/metadata/annotations", TRUSTED_CLUSTER_ANNOTATION) });
    }
  }
  const desired: Record<string, unknown> = { nameGeneration: spec["nameGeneration"] };
  const current: Record<string, unknown> = { nameGeneration: live.nameGeneration };
  for (const field of POLICY_SPEC_FIELDS) {
    desired[field] = spec[field];
    current[field] = live.policy[field];
  }
  for (const [field, value] of Object.entries(desired)) {
    if (value !== undefined && !isDeepEqual(value, current[field])) {
      ops.push({ op: "add", path: `/spec/${field}`, value });
    } else if (value === undefined && current[field] !== undefined) {
      ops.push({ op: "remove", path: `/spec/${field}` });
    }
  }
  return ops.length === 0 ? [] : [{ op: "test", path: "/metadata/resourceVersion", value: live.resourceVersion }, ...ops];
}
