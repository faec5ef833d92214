import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

import type { ClusterHost } from "./backends/trusted-cluster-backend";
import { createProviderShim } from "./provider-shim";
import type { TrustedPlacement, trustedClusterInputsSchema } from "./schemas/trusted-cluster";

/** The type token of `TrustedCluster`: `pulumi-nodejs:dynamic/vmpools:TrustedCluster`. */
export const TRUSTED_CLUSTER_TYPE = "pulumi-nodejs:dynamic/vmpools:TrustedCluster";

/** An oVirt cluster with the trusted service on. */
export interface OvirtTrustedClusterArgs {
  /** Selects oVirt: the cluster becomes an engine `cluster` with `trusted_service` on. */
  kind: "ovirt";
  /** A named connection from `vmpools:connections`. @default the default connection */
  connection?: pulumi.Input<string>;
  /** The data center, by name or id. Changing it replaces the cluster. */
  dataCenter: pulumi.Input<string>;
  /** CPU type, e.g. `Intel Nehalem Family`. @default the engine's choice */
  cpuType?: pulumi.Input<string>;
  /** Compatibility version `major.minor`, e.g. `4.7`. @default the data center's */
  compatibilityVersion?: pulumi.Input<string>;
  /** The virt service; must stay on for a trusted cluster. @default true */
  virtService?: pulumi.Input<boolean>;
  /** The gluster service; must stay off for a trusted cluster. @default false */
  glusterService?: pulumi.Input<boolean>;
  /** Free text for administrators. @default "" */
  comment?: pulumi.Input<string>;
}

/** A set of KubeVirt nodes of which only the attested ones run pools placed in it. */
export interface KubevirtTrustedClusterArgs {
  /** Selects KubeVirt: nothing is created; pools placed here get a required node affinity. */
  kind: "kubevirt";
  /** A named connection from `vmpools:connections`. @default the default connection */
  connection?: pulumi.Input<string>;
  /** Labels that pick the cluster's nodes. @default {} (every node) */
  nodeSelector?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The label an attestation agent sets on verified nodes. @default `{ key: "vmpools.io/attested", value: "true" }` */
  attestationLabel?: pulumi.Input<{ key: pulumi.Input<string>; value: pulumi.Input<string> }>;
}

/** Inputs of a {@link TrustedCluster}. */
export interface TrustedClusterArgs {
  /** The cluster's name; its identity, so changing it replaces the cluster. At most 40 characters on oVirt. @default the Pulumi resource name */
  name?: pulumi.Input<string>;
  /** Free text, at most 4000 characters. @default "" */
  description?: pulumi.Input<string>;
  /** The system the cluster lives on and its options there. */
  backend: pulumi.Input<OvirtTrustedClusterArgs | KubevirtTrustedClusterArgs>;
}

// The schema is the single source of truth; this fails to compile if the
// argument types drift from it.
type AssertAssignable<T extends U, U> = T;
export type _TrustedClusterArgsMatchSchema = AssertAssignable<pulumi.Unwrap<TrustedClusterArgs> & { name: string }, z.input<typeof trustedClusterInputsSchema>>;

/** One shim for every trusted cluster: Pulumi caches its serialized text per object. */
const TRUSTED_CLUSTER_PROVIDER = createProviderShim("TrustedCluster");

/**
 * A cluster that runs VMs only on hosts an attestation server verified
 * ("Trusted Compute Pools"). Give it to a `VmPool` as `trustedCluster` to
 * place the pool there. Credentials come from stack config, never from here.
 */
export class TrustedCluster extends pulumi.dynamic.Resource {
  /** The cluster's name. */
  declare public readonly name: pulumi.Output<string>;
  /** Free text. */
  declare public readonly description: pulumi.Output<string>;
  /** Backend options, with defaults applied. */
  declare public readonly backend: pulumi.Output<OvirtTrustedClusterArgs | KubevirtTrustedClusterArgs>;
  /** The backend's id of the cluster (oVirt cluster id; `kubevirt/<name>` on KubeVirt). */
  declare public readonly uid: pulumi.Output<string>;
  /** The cluster's hosts (KubeVirt: the nodes its selector matches) with their status. */
  declare public readonly hosts: pulumi.Output<ClusterHost[]>;
  /** Names of hosts attestation did not verify. */
  declare public readonly untrustedHosts: pulumi.Output<string[]>;
  /** What a pool placed here needs: pass the cluster itself as a `VmPool`'s `trustedCluster`. */
  declare public readonly placement: pulumi.Output<TrustedPlacement>;

  constructor(name: string, args: TrustedClusterArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      TRUSTED_CLUSTER_PROVIDER,
      name,
      {
        name: args.name ?? name,
        description: args.description,
        backend: args.backend,
        uid: undefined,
        hosts: undefined,
        untrustedHosts: undefined,
        placement: undefined,
      },
      opts,
      "vmpools",
      "TrustedCluster",
    );
  }
}
