import type { ResourceBackend, ResourceSnapshot } from "../resource-backend";
import type { TrustedClusterInputs, TrustedPlacement } from "../schemas/trusted-cluster";

/** A host of a trusted cluster (oVirt host, KubeVirt node) and whether attestation verified it. */
export interface ClusterHost {
  /** Host or node name. */
  name: string;
  /** oVirt host status (`up`, `non_operational`, ...); on KubeVirt `ready` or `not_ready`. */
  status: string;
  /** oVirt `status_detail` (`untrusted` for a host attestation refused); on KubeVirt `not_attested` when the label is missing. */
  statusDetail?: string;
  /** Whether the host may run the cluster's VMs: attested and not refused. */
  trusted: boolean;
}

/** What the provider stores for a trusted cluster. */
export type TrustedClusterState = TrustedClusterInputs & {
  /** The backend's id (oVirt cluster id; on KubeVirt, where nothing is created, `kubevirt/<name>`). */
  uid: string;
  /** The cluster's hosts with their status. */
  hosts: ClusterHost[];
  /** Names of the hosts attestation did not verify (oVirt `non_operational`/`untrusted`; KubeVirt nodes matching the selector without the label). */
  untrustedHosts: string[];
  /** What a `VmPool` placed in this cluster needs (its `trustedCluster` input). */
  placement: TrustedPlacement;
};

/** A trusted cluster as it exists on the backend. */
export type TrustedClusterSnapshot = ResourceSnapshot<TrustedClusterInputs, TrustedClusterState>;

/** One backend's trusted cluster operations (see {@link ResourceBackend} for each method's contract). */
export type TrustedClusterBackend = ResourceBackend<TrustedClusterInputs, TrustedClusterState>;
