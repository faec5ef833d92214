/**
 * Rules for trusted clusters that the engine's backend does not enforce but
 * its web UI does, checked before anything is sent (reference §4).
 */
import type { RuleIssue } from "./kubevirt-rules";

/** The engine's cluster name limit (`BusinessEntitiesDefinitions.CLUSTER_NAME_SIZE`). */
export const MAX_OVIRT_CLUSTER_NAME = 40;

/** The engine's `I18N_NAME` pattern for cluster names: letters of any script, digits, `.`, `_`, `-`. */
export const OVIRT_CLUSTER_NAME = /^[\p{L}0-9._-]+$/u;

/**
 * The node label an attestation agent sets on Kubernetes nodes it verified,
 * when a `TrustedCluster` names none: `vmpools.io/attested=true`.
 */
export const DEFAULT_ATTESTATION_LABEL = { key: "vmpools.io/attested", value: "true" } as const;

/** Checks an oVirt cluster name: 1..40 characters of the engine's name alphabet. */
export function validateOvirtClusterName(name: string): RuleIssue[] {
  if (name.length > MAX_OVIRT_CLUSTER_NAME) {
    return [{ path: ["name"], value: name, message: `must be at most ${MAX_OVIRT_CLUSTER_NAME} characters (the engine's cluster name limit)` }];
  }
  if (!OVIRT_CLUSTER_NAME.test(name)) {
    return [{ path: ["name"], value: name, message: "must use only letters, digits, '.', '_' and '-' (the engine's cluster name alphabet), and no spaces" }];
  }
  return [];
}

/**
 * A trusted cluster runs VMs only on hosts the attestation server verified,
 * so it needs the virt service, and the engine's web UI turns trust off when
 * gluster is on. The REST API checks neither (`ClusterValidator` only asks
 * for one service and a configured `AttestationServer`), so a provider that
 * did not check would create clusters the UI would never allow.
 */
export function validateTrustedClusterServices(services: { virtService: boolean; glusterService: boolean }): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (!services.virtService) {
    issues.push({
      path: ["backend", "virtService"],
      value: services.virtService,
      message: "must be true: a trusted cluster runs VMs on attested hosts, which needs the virt service (the engine's web UI allows trust only with virt on)",
    });
  }
  if (services.glusterService) {
    issues.push({
      path: ["backend", "glusterService"],
      value: services.glusterService,
      message: "must be false: the trusted service excludes the gluster service (the engine's web UI turns trust off when gluster is on); use a separate cluster for storage",
    });
  }
  return issues;
}

/**
 * A KubeVirt trusted cluster's node selector must not select on the
 * attestation label: nodes that lack it would then never be listed, so
 * `untrustedHosts` could not report them, and a different value would ask
 * for nodes that cannot be attested at the same time.
 */
export function validateKubevirtTrustedSelector(backend: { nodeSelector: Record<string, string>; attestationLabel: { key: string } }): RuleIssue[] {
  const key = backend.attestationLabel.key;
  if (!Object.hasOwn(backend.nodeSelector, key)) {
    return [];
  }
  return [
    {
      path: ["backend", "nodeSelector", key],
      value: backend.nodeSelector[key],
      message: `must not select on the attestation label '${key}': pools placed in the cluster require it anyway, and selecting on it hides the nodes that lack it from 'untrustedHosts'; select the cluster's nodes by other labels`,
    },
  ];
}

/** A pool's placement in a trusted cluster, as the pool's inputs carry it. */
interface PlacedPool {
  backend: { kind: string; connection?: string | undefined; cluster?: string | undefined };
  trustedCluster?: { kind: string; connection?: string | undefined; name: string; id?: string | undefined } | undefined;
}

/**
 * A pool placed in a trusted cluster must live where that cluster is: the
 * same backend kind and connection and, on oVirt, that very cluster. So a
 * pool cannot name one cluster and run in another.
 */
export function validateTrustedPlacement(pool: PlacedPool): RuleIssue[] {
  const placement = pool.trustedCluster;
  if (placement === undefined) {
    return [];
  }
  if (pool.backend.kind === "vmoperator") {
    return [{ path: ["trustedCluster"], value: placement.kind, message: "is not supported on VM-Operator (a pool's VMs exist on their own and run where each VM's definition says); leave it unset, or keep a pool that needs trusted hosts on oVirt or KubeVirt" }];
  }
  if (placement.kind !== pool.backend.kind) {
    return [{ path: ["trustedCluster"], value: placement.kind, message: `is a trusted cluster on ${placement.kind}, but the pool lives on ${pool.backend.kind}; place the pool in a TrustedCluster on ${pool.backend.kind}` }];
  }
  if (placement.connection !== pool.backend.connection) {
    return [
      {
        path: ["trustedCluster"],
        value: placement.connection ?? "(default)",
        message: `is reached through connection ${placement.connection ?? "(default)"}, but the pool through ${pool.backend.connection ?? "(default)"}; both must be on the same engine or cluster`,
      },
    ];
  }
  const cluster = pool.backend.cluster;
  if (cluster !== undefined && cluster !== placement.name && cluster !== placement.id) {
    return [{ path: ["backend", "cluster"], value: cluster, message: `must be the trusted cluster '${placement.name}' the pool is placed in (leave it out to take it from 'trustedCluster')` }];
  }
  return [];
}
