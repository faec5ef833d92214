/**
 * Pure conversions for a `TrustedCluster` on KubeVirt: which nodes belong to
 * it (a label selector), which of those an attestation agent verified (a
 * node label), and what a pool placed in it needs. No I/O, so every rule is
 * table-tested.
 */
import type { TrustedClusterInputs } from "../../schemas/trusted-cluster";
import type { ClusterHost, TrustedClusterState } from "../trusted-cluster-backend";
import type { KubevirtPlacement } from "./placement-affinity";

/** A trusted cluster's inputs on KubeVirt. */
export type KubevirtTrustedClusterInputs = TrustedClusterInputs & { backend: Extract<TrustedClusterInputs["backend"], { kind: "kubevirt" }> };

/** `ClusterHost.status` of a node whose `Ready` condition is `True`. */
export const NODE_READY = "ready";
/** `ClusterHost.status` of a node whose `Ready` condition is `False`, `Unknown` or missing. */
export const NODE_NOT_READY = "not_ready";
/** `ClusterHost.statusDetail` of a node without the attestation label (or with another value). */
export const NODE_NOT_ATTESTED = "not_attested";

/** A Node as the API server returns it, reduced to what the report reads (`V1Node` fits). */
export interface NodeLike {
  readonly metadata?: { readonly name?: string | undefined; readonly labels?: Readonly<Record<string, string>> | undefined } | undefined;
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] | undefined } | undefined;
}

/**
 * The Pulumi id and `uid` of a KubeVirt trusted cluster, which exists on no
 * API server: `kubevirt/<name>`. Example: `secure` -> `kubevirt/secure`.
 */
export function toKubevirtTrustedClusterId(name: string): string {
  return `kubevirt/${name}`;
}

/**
 * The node selector as a label selector query, keys sorted. Example:
 * `{ zone: "a", lab: "secure" }` -> `lab=secure,zone=a`; `{}` -> `""`
 * (every node).
 */
export function toNodeLabelSelector(nodeSelector: Readonly<Record<string, string>>): string {
  return Object.keys(nodeSelector)
    .sort()
    .map((key) => `${key}=${nodeSelector[key] ?? ""}`)
    .join(",");
}

/**
 * One node as a cluster host: `ready` when its `Ready` condition is `True`
 * (as the kubelet reports it), `not_ready` otherwise; trusted when it carries
 * the attestation label with its value, else `statusDetail: not_attested`.
 */
export function toClusterHost(node: NodeLike, attestationLabel: { key: string; value: string }): ClusterHost {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
  const trusted = node.metadata?.labels?.[attestationLabel.key] === attestationLabel.value;
  return {
    name: node.metadata?.name ?? "",
    status: ready ? NODE_READY : NODE_NOT_READY,
    ...(trusted ? {} : { statusDetail: NODE_NOT_ATTESTED }),
    trusted,
  };
}

/** The placement a `VmPool` needs to run only on this cluster's attested nodes. */
export function toKubevirtPlacement(inputs: KubevirtTrustedClusterInputs): KubevirtPlacement {
  return {
    kind: "kubevirt",
    ...(inputs.backend.connection === undefined ? {} : { connection: inputs.backend.connection }),
    name: inputs.name,
    nodeSelector: { ...inputs.backend.nodeSelector },
    attestationLabel: { ...inputs.backend.attestationLabel },
  };
}

/**
 * What the provider stores: the inputs, the matching nodes sorted by name,
 * the names of those not attested (as oVirt lists its untrusted hosts), and
 * the placement.
 */
export function toKubevirtTrustedClusterState(inputs: KubevirtTrustedClusterInputs, nodes: readonly NodeLike[]): TrustedClusterState {
  const hosts = nodes.map((node) => toClusterHost(node, inputs.backend.attestationLabel)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    ...inputs,
    uid: toKubevirtTrustedClusterId(inputs.name),
    hosts,
    untrustedHosts: hosts.filter((host) => !host.trusted).map((host) => host.name),
    placement: toKubevirtPlacement(inputs),
  };
}

/** The inputs inside a stored state (a KubeVirt cluster has nothing live to read them from). */
export function toInputsFromTrustedClusterState(state: TrustedClusterState): TrustedClusterInputs {
  const { uid: _uid, hosts: _hosts, untrustedHosts: _untrusted, placement: _placement, ...inputs } = state;
  return inputs;
}
