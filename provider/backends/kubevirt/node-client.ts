/**
 * A thin client for the cluster's Nodes, which a KubeVirt `TrustedCluster`
 * reads (never writes) to report its hosts and their attestation.
 */
import * as k8s from "@kubernetes/client-node";

import { BackendError, type ErrorContext } from "../../errors";
import { withRetry } from "../retry";
import { toBackendError, type KubevirtClient } from "./client";

/** Nodes asked for per list call; larger clusters are read in pages. */
const PAGE_SIZE = 500;

/**
 * Why a list of nodes was refused, and the fix. Nodes are cluster-scoped, so
 * the generic "ask for a Role" hint would mislead.
 */
export const NODES_FORBIDDEN_MESSAGE =
  "the kubeconfig's user may not list nodes (Forbidden); a TrustedCluster on KubeVirt lists the nodes its node selector matches to report them and their attestation, so grant that user 'list' on 'nodes' (core API group) through a ClusterRole and ClusterRoleBinding (nodes are cluster-scoped: a namespaced Role cannot grant it)";

/** Lists Nodes; retried on 5xx, 429 and dropped connections, since reads are safe to repeat. */
export class KubevirtNodeClient {
  private readonly core: k8s.CoreV1Api;

  constructor(private readonly base: KubevirtClient) {
    this.core = base.makeApiClient(k8s.CoreV1Api);
  }

  /**
   * Every node whose labels match `labelSelector` (`key=value,...`; empty
   * matches every node). A 403 becomes a {@link BackendError} with
   * {@link NODES_FORBIDDEN_MESSAGE}.
   */
  async listNodes(context: ErrorContext, labelSelector: string): Promise<k8s.V1Node[]> {
    const nodes: k8s.V1Node[] = [];
    let next: string | undefined;
    do {
      const cont = next;
      const page = await withRetry(this.base.retryPolicy, async () => {
        try {
          return await this.core.listNode({ labelSelector, limit: PAGE_SIZE, ...(cont === undefined ? {} : { _continue: cont }) });
        } catch (err) {
          const translated = toBackendError(context, err);
          if (translated.status === 403) {
            throw new BackendError(context, NODES_FORBIDDEN_MESSAGE, { status: 403, cause: err });
          }
          throw translated;
        }
      });
      nodes.push(...page.items);
      next = page.metadata?._continue === undefined || page.metadata._continue === "" ? undefined : page.metadata._continue;
    } while (next !== undefined);
    return nodes;
  }
}
