/**
 * `TrustedCluster` on KubeVirt. Kubernetes has no cluster object to create:
 * the trusted cluster is a node selector plus the label an attestation agent
 * puts on nodes it verified, and pools placed in it get a required node
 * affinity on both (see `placement-affinity.ts`). So this backend creates
 * nothing and deletes nothing; every operation lists the matching nodes and
 * reports them, naming those not attested, as oVirt reports untrusted hosts.
 *
 * Why not a ConfigMap or a CRD holding the definition: the definition already
 * lives in Pulumi state and in the placement every pool carries; a cluster
 * object would add a namespace choice, RBAC to write it, and something to
 * adopt or orphan, for no reader. Nothing is ever deleted that this resource
 * did not create, and it creates nothing.
 */
import type { CheckFailure } from "../../check";
import { isDeepEqual } from "../../diff/input-diff";
import type { ErrorContext } from "../../errors";
import type { TrustedClusterInputs } from "../../schemas/trusted-cluster";
import type { TrustedClusterBackend, TrustedClusterSnapshot, TrustedClusterState } from "../trusted-cluster-backend";
import type { KubevirtClient } from "./client";
import { KubevirtNodeClient } from "./node-client";
import {
  toInputsFromTrustedClusterState,
  toKubevirtTrustedClusterId,
  toKubevirtTrustedClusterState,
  toNodeLabelSelector,
  type KubevirtTrustedClusterInputs,
} from "./trusted-cluster-mapping";

/** Narrows inputs to KubeVirt; the registry only routes KubeVirt clusters here. */
function toKubevirtInputs(inputs: TrustedClusterInputs): KubevirtTrustedClusterInputs {
  if (inputs.backend.kind !== "kubevirt") {
    throw new Error(`the KubeVirt trusted cluster backend was given a '${inputs.backend.kind}' cluster`);
  }
  return inputs as KubevirtTrustedClusterInputs;
}

/** Trusted clusters as sets of attested Kubernetes nodes. */
export class KubevirtTrustedClusterBackend implements TrustedClusterBackend {
  private readonly nodes: KubevirtNodeClient;

  constructor(client: KubevirtClient) {
    this.nodes = new KubevirtNodeClient(client);
  }

  private context(operation: string, name: string): ErrorContext {
    return { backend: "kubevirt", operation, resource: `trusted cluster ${name}` };
  }

  /** Lists the matching nodes and reports them; creates nothing. Fails (403) when the user may not list nodes. */
  async create(inputs: TrustedClusterInputs): Promise<TrustedClusterSnapshot> {
    return this.report("create", toKubevirtInputs(inputs));
  }

  /** Lists the nodes again: nodes join, leave, and gain or lose attestation between runs. Never "gone". */
  async read(_id: string, previous: TrustedClusterState): Promise<TrustedClusterSnapshot> {
    return this.report("read", toKubevirtInputs(toInputsFromTrustedClusterState(previous)));
  }

  /** A new selector or attestation label is only a new report; pools follow through their `trustedCluster` input. */
  async update(_id: string, _previous: TrustedClusterState, inputs: TrustedClusterInputs): Promise<TrustedClusterSnapshot> {
    return this.report("update", toKubevirtInputs(inputs));
  }

  /**
   * Read-only, for previews. An empty cluster is legal (nodes may join
   * later), but a selector that matches no node when it is first written or
   * changed is almost always a typo, and every pool placed there would wait
   * for a node forever, so that case fails the preview. A cluster whose nodes
   * went away later is only reported (`hosts: []`), never refused.
   */
  async verify(inputs: TrustedClusterInputs, previous: TrustedClusterInputs | undefined): Promise<CheckFailure[]> {
    const cluster = toKubevirtInputs(inputs);
    const selectorIsNew = previous?.backend.kind !== "kubevirt" || !isDeepEqual(previous.backend.nodeSelector, cluster.backend.nodeSelector);
    if (!selectorIsNew) {
      return [];
    }
    const selector = toNodeLabelSelector(cluster.backend.nodeSelector);
    const found = await this.nodes.listNodes(this.context("preview", cluster.name), selector);
    if (found.length > 0) {
      return [];
    }
    const which = selector === "" ? "no node: the cluster has none" : `no node (label selector '${selector}'); check the labels with 'kubectl get nodes -l ${selector}'`;
    return [
      {
        property: "backend.nodeSelector",
        reason: `matches ${which}. Pools placed in this TrustedCluster could not schedule any VM. If the nodes join later, run 'pulumi up' with 'vmpools:verifyReferences' set to false`,
      },
    ];
  }

  /** Nothing was created, so nothing is deleted. */
  async delete(): Promise<void> {
    // Deliberately empty: see the file comment.
  }

  private async report(operation: string, inputs: KubevirtTrustedClusterInputs): Promise<TrustedClusterSnapshot> {
    const found = await this.nodes.listNodes(this.context(operation, inputs.name), toNodeLabelSelector(inputs.backend.nodeSelector));
    return { id: toKubevirtTrustedClusterId(inputs.name), inputs, state: toKubevirtTrustedClusterState(inputs, found) };
  }
}
