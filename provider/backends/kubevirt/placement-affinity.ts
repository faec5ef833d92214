/**
 * Pure: the required node affinity that keeps a pool's VMs on the attested
 * nodes of a KubeVirt trusted cluster, merged into the affinity the user
 * wrote, and taken out again when the pool is read back. No I/O, so every
 * rule is table-tested.
 *
 * Kubernetes ORs the `nodeSelectorTerms` of a required node affinity and ANDs
 * the `matchExpressions` inside one term. Adding the placement's expressions
 * to every term gives `(T1 and P) or (T2 and P)` = `(T1 or T2) and P`: the
 * user's choice of nodes stays, narrowed to the trusted cluster's attested
 * nodes, and nothing the user wrote is dropped.
 */
import { isDeepEqual } from "../../diff/input-diff";
import type { TrustedPlacement } from "../../schemas/trusted-cluster";

/** A trusted cluster's placement on KubeVirt (the `placement` output of a KubeVirt `TrustedCluster`). */
export type KubevirtPlacement = Extract<TrustedPlacement, { kind: "kubevirt" }>;

/** One `NodeSelectorRequirement` as the placement writes it. */
export interface PlacementRequirement {
  /** Node label key. */
  readonly key: string;
  /** Always `In`: the label must have exactly this value. */
  readonly operator: "In";
  /** The one value allowed. */
  readonly values: readonly [string];
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}

/**
 * The expressions a VM of the placement must satisfy: one per node selector
 * label (sorted by key, so the manifest is stable), then the attestation
 * label. An attestation label that the selector already requires with the
 * same value is not repeated. Example: `{ nodeSelector: { zone: "secure" },
 * attestationLabel: { key: "vmpools.io/attested", value: "true" } }` ->
 * `[{ key: "zone", operator: "In", values: ["secure"] }, { key:
 * "vmpools.io/attested", operator: "In", values: ["true"] }]`.
 */
export function toPlacementRequirements(placement: KubevirtPlacement): PlacementRequirement[] {
  const required: PlacementRequirement[] = Object.keys(placement.nodeSelector)
    .sort()
    .map((key) => ({ key, operator: "In", values: [placement.nodeSelector[key] ?? ""] }));
  const attested: PlacementRequirement = { key: placement.attestationLabel.key, operator: "In", values: [placement.attestationLabel.value] };
  return required.some((r) => isDeepEqual(r, attested)) ? required : [...required, attested];
}

/** The nested records on the way to the node selector terms, each `{}` when absent. */
interface AffinityPath {
  readonly template: JsonRecord;
  readonly podSpec: JsonRecord;
  readonly affinity: JsonRecord;
  readonly nodeAffinity: JsonRecord;
  readonly required: JsonRecord;
  readonly terms: unknown[];
}

function toAffinityPath(vmSpec: JsonRecord): AffinityPath {
  const template = asRecord(vmSpec["template"]);
  const podSpec = asRecord(template["spec"]);
  const affinity = asRecord(podSpec["affinity"]);
  const nodeAffinity = asRecord(affinity["nodeAffinity"]);
  const required = asRecord(nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"]);
  const terms = Array.isArray(required["nodeSelectorTerms"]) ? (required["nodeSelectorTerms"] as unknown[]) : [];
  return { template, podSpec, affinity, nodeAffinity, required, terms };
}

/** Writes `affinity` (or removes it when undefined) back into a copy of the VM spec. */
function withAffinity(vmSpec: JsonRecord, path: AffinityPath, affinity: JsonRecord | undefined): JsonRecord {
  const { affinity: _old, ...podSpec } = path.podSpec;
  return { ...vmSpec, template: { ...path.template, spec: affinity === undefined ? podSpec : { ...podSpec, affinity } } };
}

/**
 * The VM spec with the placement's required node affinity: its expressions
 * are ANDed into every existing node selector term (an expression the term
 * already has is not repeated), or form the only term when the user wrote
 * none. Everything else in the spec, the rest of the affinity included, is
 * kept as written. Example: a term `{ matchExpressions: [{ key: "gpu",
 * operator: "Exists" }] }` becomes `{ matchExpressions: [{ key: "gpu",
 * operator: "Exists" }, <placement expressions>] }`.
 */
export function toPlacedVmSpec(vmSpec: JsonRecord, placement: KubevirtPlacement): JsonRecord {
  const path = toAffinityPath(vmSpec);
  const required = toPlacementRequirements(placement);
  // An empty term list would match no node at all (and the API server
  // refuses it), so it is treated as "none written".
  const terms = path.terms.length > 0 ? path.terms : [{}];
  const placedTerms = terms.map((term) => {
    const own = asRecord(term);
    const expressions = Array.isArray(own["matchExpressions"]) ? (own["matchExpressions"] as unknown[]) : [];
    const added = required.filter((r) => !expressions.some((e) => isDeepEqual(e, r)));
    return { ...own, matchExpressions: [...expressions, ...added] };
  });
  return withAffinity(vmSpec, path, {
    ...path.affinity,
    nodeAffinity: { ...path.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { ...path.required, nodeSelectorTerms: placedTerms } },
  });
}

/** A VM spec read back from a placed pool, with what the provider injected taken out. */
export interface UnplacedVmSpec {
  /** The spec without the placement's expressions (and the structure they alone needed). */
  readonly spec: JsonRecord;
  /** Whether the live spec carried the placement's affinity in full: {@link toPlacedVmSpec} of `spec` gives it back exactly. */
  readonly placed: boolean;
}

/**
 * Takes the placement's expressions out of a live VM spec: from every term,
 * then drops what only they needed (a term left empty, then empty
 * `requiredDuringScheduling...`, `nodeAffinity` and `affinity`). `placed`
 * says whether the live spec held the whole placement, so a pool whose
 * affinity was edited out of band is reported as not placed.
 */
export function fromPlacedVmSpec(vmSpec: JsonRecord, placement: KubevirtPlacement): UnplacedVmSpec {
  const path = toAffinityPath(vmSpec);
  if (path.terms.length === 0) {
    return { spec: vmSpec, placed: false };
  }
  const required = toPlacementRequirements(placement);
  const terms = path.terms
    .map((term) => {
      const own = asRecord(term);
      if (!Array.isArray(own["matchExpressions"])) {
        return own;
      }
      const kept = (own["matchExpressions"] as unknown[]).filter((e) => !required.some((r) => isDeepEqual(e, r)));
      const { matchExpressions: _all, ...rest } = own;
      return kept.length > 0 ? { ...rest, matchExpressions: kept } : rest;
    })
    // A term left empty was the one the provider added for a user who wrote none.
    .filter((term) => Object.keys(term).length > 0);
  const { nodeSelectorTerms: _terms, ...requiredRest } = path.required;
  const newRequired = terms.length > 0 ? { ...requiredRest, nodeSelectorTerms: terms } : requiredRest;
  const { requiredDuringSchedulingIgnoredDuringExecution: _required, ...nodeAffinityRest } = path.nodeAffinity;
  const newNodeAffinity = Object.keys(newRequired).length > 0 ? { ...nodeAffinityRest, requiredDuringSchedulingIgnoredDuringExecution: newRequired } : nodeAffinityRest;
  const { nodeAffinity: _nodeAffinity, ...affinityRest } = path.affinity;
  const newAffinity = Object.keys(newNodeAffinity).length > 0 ? { ...affinityRest, nodeAffinity: newNodeAffinity } : affinityRest;
  const spec = withAffinity(vmSpec, path, Object.keys(newAffinity).length > 0 ? newAffinity : undefined);
  return { spec, placed: isDeepEqual(toPlacedVmSpec(spec, placement), vmSpec) };
}
