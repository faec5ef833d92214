import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

import { createProviderShim } from "./provider-shim";
import type { vmPoolInputsSchema } from "./schemas/vm-pool";

/** The type token of `VmPool`: `pulumi-nodejs:dynamic/vmpools:VmPool`. */
export const VM_POOL_TYPE = "pulumi-nodejs:dynamic/vmpools:VmPool";

/** Where a KubeVirt pool lives and what each of its VMs looks like. */
export interface KubevirtBackendArgs {
  /** Selects KubeVirt: the pool becomes a `VirtualMachinePool` (`pool.kubevirt.io`). */
  kind: "kubevirt";
  /** Namespace of the `VirtualMachinePool`. Changing it replaces the pool. @default "default" */
  namespace?: pulumi.Input<string>;
  /** The VM template, as `spec.virtualMachineTemplate` of a `VirtualMachinePool`. */
  virtualMachineTemplate: pulumi.Input<{
    /** Copied onto every VM. */
    metadata?: pulumi.Input<{
      /**
       * Labels on every VM; the pool's selector is generated to match them.
       * Changing them replaces the pool (KubeVirt's selector is immutable).
       * @default `{ "kubevirt.io/vmpool": <pool name> }`
       */
      labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
      /** Annotations on every VM. @default none */
      annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    }>;
    /**
     * A KubeVirt `VirtualMachineSpec`: `runStrategy` (required), `template`
     * (with `spec.domain.devices`), `dataVolumeTemplates`, ...
     */
    spec: pulumi.Input<Record<string, unknown>>;
  }>;
}

/** Inputs of a {@link VmPool}. */
export interface VmPoolArgs {
  /**
   * The pool's name on the backend; VMs are named `<name>-<index>`. It is the
   * pool's identity: changing it replaces the pool. A DNS-1123 label of at
   * most 63 characters. @default the Pulumi resource name
   */
  name?: pulumi.Input<string>;
  /** Number of VMs in the pool (KubeVirt `spec.replicas`), 0 or more. */
  size: pulumi.Input<number>;
  /** The system the pool lives on and its options there. */
  backend: pulumi.Input<KubevirtBackendArgs>;
}

// The schema is the single source of truth; this fails to compile if the
// argument types drift from it.
type AssertAssignable<T extends U, U> = T;
export type _VmPoolArgsMatchSchema = AssertAssignable<pulumi.Unwrap<VmPoolArgs> & { name: string }, z.input<typeof vmPoolInputsSchema>>;

/** One shim for every pool: Pulumi caches its serialized text per object. */
const VM_POOL_PROVIDER = createProviderShim("VmPool");

/**
 * A pool of virtual machines cloned from one template. On KubeVirt it is a
 * `VirtualMachinePool`. Credentials come from stack config (`vmpools:*`) or
 * the environment, never from these inputs.
 */
export class VmPool extends pulumi.dynamic.Resource {
  /** The pool's name on the backend. */
  declare public readonly name: pulumi.Output<string>;
  /** Number of VMs asked for. */
  declare public readonly size: pulumi.Output<number>;
  /** Backend options, with defaults applied. */
  declare public readonly backend: pulumi.Output<KubevirtBackendArgs>;
  /** The backend's id of this incarnation of the pool (KubeVirt `metadata.uid`). */
  declare public readonly uid: pulumi.Output<string>;
  /** API version the pool was last written or read in. */
  declare public readonly apiVersion: pulumi.Output<string>;
  /** VMs the pool owns now, as the backend reports. */
  declare public readonly vmCount: pulumi.Output<number>;
  /** VMs that are ready. */
  declare public readonly readyVmCount: pulumi.Output<number>;

  constructor(name: string, args: VmPoolArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      VM_POOL_PROVIDER,
      name,
      {
        name: args.name ?? name,
        size: args.size,
        backend: args.backend,
        uid: undefined,
        apiVersion: undefined,
        vmCount: undefined,
        readyVmCount: undefined,
      },
      opts,
      "vmpools",
      "VmPool",
    );
  }
}
