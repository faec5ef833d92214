import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

import { createProviderShim } from "./provider-shim";
import type { ovirtVmSettingsSchema } from "./schemas/ovirt-vm-settings";
import { INITIAL_RUN_SECRET_PATHS } from "./schemas/ovirt-initial-run";
import type { TrustedPlacement } from "./schemas/trusted-cluster";
import type { vmPoolInputsSchema } from "./schemas/vm-pool";
import type { TrustedCluster } from "./trusted-cluster";

/** The type token of `VmPool`: `pulumi-nodejs:dynamic/vmpools:VmPool`. */
export const VM_POOL_TYPE = "pulumi-nodejs:dynamic/vmpools:VmPool";

/** Where a KubeVirt pool lives and what each of its VMs looks like. */
export interface KubevirtBackendArgs {
  /** Selects KubeVirt: the pool becomes a `VirtualMachinePool` (`pool.kubevirt.io`). */
  kind: "kubevirt";
  /** A named connection from `vmpools:connections`. @default the default connection (`vmpools:kubeconfig`, or `KUBECONFIG`) */
  connection?: pulumi.Input<string>;
  /** Namespace of the `VirtualMachinePool`. Changing it replaces the pool. @default "default" */
  namespace?: pulumi.Input<string>;
  /** Per-VM secret and config map names (KubeVirt 1.5+ `spec.nameGeneration`). @default neither */
  nameGeneration?: pulumi.Input<{ appendIndexToConfigMapRefs?: pulumi.Input<boolean>; appendIndexToSecretRefs?: pulumi.Input<boolean> }>;
  /** Wait until every VM is ready after create and update (within `timeouts`). @default false */
  waitForReady?: pulumi.Input<boolean>;
  /**
   * Let a shrink remove VMs that are running; otherwise `preview` and `up`
   * refuse such a shrink, naming the running VMs, and change nothing.
   * @default false for desktop pools (VMs run when a user starts them); true
   * for service pools whose VMs all run (`runStrategy: Always`,
   * `running: true`, `prestarted` = size, or `autoscaling`)
   */
  forceShrink?: pulumi.Input<boolean>;
  /**
   * Which VMs a shrink removes (`sortPolicy`: `DescendingOrder`,
   * `AscendingOrder`, `Newest`, `Oldest`, `Random`; KubeVirt 1.6 has only
   * `DescendingOrder` and `Random`) and whether their disks are kept
   * (`statePreservation`: `Disabled`, `Offline`, `Online`; KubeVirt 1.7+).
   * @default `{ sortPolicy: "DescendingOrder" }`: the highest indexes go first, disks are deleted
   */
  scaleInStrategy?: pulumi.Input<{
    sortPolicy?: pulumi.Input<"DescendingOrder" | "AscendingOrder" | "Newest" | "Oldest" | "Random">;
    statePreservation?: pulumi.Input<"Disabled" | "Offline" | "Online">;
  }>;
  /**
   * What a VM-template change does to existing VMs (KubeVirt 1.7+):
   * `proactive` restarts running VMs now, at most `maxUnavailable` at a time;
   * `opportunistic` applies it at each VM's next restart; `unmanaged` only to
   * VMs created later. KubeVirt 1.6 always restarts. `preview` says which.
   * @default "opportunistic" for desktop pools, "proactive" for service pools
   */
  updateStrategy?: pulumi.Input<"proactive" | "opportunistic" | "unmanaged">;
  /**
   * Replace VMs that keep failing to start (KubeVirt 1.7+); `{}` turns it on
   * with KubeVirt's thresholds (3 failed starts, or 5m failing).
   * @default off
   */
  autohealing?: pulumi.Input<{ startUpFailureThreshold?: pulumi.Input<number>; minFailingToStartDuration?: pulumi.Input<string> }>;
  /** VMs a proactive update restarts at once: a count (1 or more) or `"1%"`..`"100%"` of the size (KubeVirt 1.6+). @default "100%" */
  maxUnavailable?: pulumi.Input<number | `${number}%`>;
  /** Stop the pool controller (no scaling, no updates) until set back to false. @default false */
  paused?: pulumi.Input<boolean>;
  /**
   * Scale the pool by CPU use with a HorizontalPodAutoscaler
   * (`autoscaling/v2`, named after the pool). While set, the autoscaler owns
   * the pool's replicas: `size` (within min..max) is only the count the pool
   * starts with, changing it plans nothing, and `currentSize` shows the count
   * now. Needs VMs that run and VMI labels that carry the VM labels.
   * @default none
   */
  autoscaling?: pulumi.Input<{ minReplicas: pulumi.Input<number>; maxReplicas: pulumi.Input<number>; targetCPUUtilizationPercentage: pulumi.Input<number> }>;
  /** The VM template, as `spec.virtualMachineTemplate` of a `VirtualMachinePool`. */
  virtualMachineTemplate: pulumi.Input<{
    /** Copied onto every VM. */
    metadata?: pulumi.Input<{
      /**
       * Labels on every VM; the pool's selector is generated to match them.
       * Changing them replaces the pool (KubeVirt's selector is immutable).
       * A `kubevirt.io/vmpool` label must name this pool.
       * @default `{ "kubevirt.io/vmpool": <pool name> }`
       */
      labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
      /** Annotations on every VM. @default none */
      annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    }>;
    /**
     * A KubeVirt `VirtualMachineSpec`: `template` (with `spec.domain.devices`),
     * `dataVolumeTemplates`, ..., and at most one of `runStrategy` and the
     * deprecated `running`. Sent as given; with neither, the provider sets
     * `runStrategy` from `prestarted` (0 -> `Halted`, size -> `Always`).
     */
    spec: pulumi.Input<Record<string, unknown>>;
  }>;
}

/** Where an oVirt pool lives and what its VMs are cloned from. */
export interface OvirtBackendArgs {
  /** Selects oVirt: the pool becomes an engine `vm_pool`. */
  kind: "ovirt";
  /** A named connection from `vmpools:connections`. @default the default connection (`vmpools:ovirt*`, or `OVIRT_*`) */
  connection?: pulumi.Input<string>;
  /** The cluster, by name or id. Changing it replaces the pool. @default the `trustedCluster`'s, when the pool is placed in one */
  cluster?: pulumi.Input<string>;
  /** The template, by name or id. Changing it replaces the pool. */
  template: pulumi.Input<string>;
  /** A template version number, or `"latest"` to follow the newest version. @default the base version */
  templateVersion?: pulumi.Input<number | "latest">;
  /** SPICE proxy for the pool's consoles, `protocol://host:port`. @default the engine's global proxy */
  spiceProxy?: pulumi.Input<string>;
  /** Let the engine choose storage domains for the VMs' disks. Cannot change. @default false */
  autoStorageSelect?: pulumi.Input<boolean>;
  /** On delete, detach the VMs and keep them as standalone VMs. @default false */
  keepVmsOnDelete?: pulumi.Input<boolean>;
  /** Allow shrinking to remove VMs that are running or held by users. @default false */
  forceShrink?: pulumi.Input<boolean>;
  /** After create and update, wait until the prestarted VMs are up (within `timeouts`). @default false */
  waitForPrestarted?: pulumi.Input<boolean>;
  /**
   * The VM settings of the New Pool window (host, initial run, resources,
   * console, ...), as overrides of the template; see `ovirtVmSettingsSchema`.
   * Credentials in `initialRun` are made secrets. @default the template's
   */
  vm?: DeepInput<z.input<typeof ovirtVmSettingsSchema>>;
  /**
   * What an edit of `vm` does to existing VMs: `newVmsOnly` leaves them
   * alone; `updateFreeVms` updates those down and free, one at a time.
   * @default "newVmsOnly"
   */
  vmUpdatePolicy?: pulumi.Input<"newVmsOnly" | "updateFreeVms">;
}

/** Where a VM-Operator pool lives and which existing VMs are its members. */
export interface VmoperatorBackendArgs {
  /** Selects VM-Operator: the pool becomes a `VmPool` (`vmoperator.jdrupes.org/v1`) and its VMs list it in `spec.pools`. */
  kind: "vmoperator";
  /** A named connection from `vmpools:connections`. @default the default connection (`vmpools:kubeconfig`, or `KUBECONFIG`) */
  connection?: pulumi.Input<string>;
  /** Namespace of the `VmPool` and its VMs. Changing it replaces the pool. @default "default" */
  namespace?: pulumi.Input<string>;
  /**
   * How long an assignment lasts: an ISO 8601 duration after the last
   * console use (`PT4H`, `P1DT12H`: days, hours, minutes, seconds only) or an
   * instant (`2026-12-24T18:00:00Z`, offsets as `+01:00`). @default "PT1h"
   */
  retention?: pulumi.Input<string>;
  /** Log the user into the guest on assignment (needs VM-Operator's guest agent). @default false */
  loginOnAssignment?: pulumi.Input<boolean>;
  /** The member VMs by name; `size` must equal their number. Exactly one of `vms` and `selector`. */
  vms?: pulumi.Input<pulumi.Input<string>[]>;
  /** The member VMs by label: `size` of the matching VMs, current members first, then by name. Exactly one of `vms` and `selector`. */
  selector?: pulumi.Input<{ matchLabels: pulumi.Input<Record<string, pulumi.Input<string>>> }>;
}

/** `T` with every member, at any depth, a `pulumi.Input`. */
export type DeepInput<T> = T extends (infer E)[] ? pulumi.Input<DeepInput<E>[]> : T extends object ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }> : pulumi.Input<T>;

/** Inputs of a {@link VmPool}. */
export interface VmPoolArgs {
  /**
   * The pool's name on the backend; VMs are named `<name>-<index>`. It is the
   * pool's identity: changing it replaces the pool. A DNS-1123 label of at
   * most 63 characters. @default the Pulumi resource name
   */
  name?: pulumi.Input<string>;
  /** Number of VMs in the pool (KubeVirt `spec.replicas`; VM-Operator: members), 0 or more. */
  size: pulumi.Input<number>;
  /** Free text, at most 4000 characters (oVirt only). @default "" */
  description?: pulumi.Input<string>;
  /** Free text for administrators (oVirt only). @default "" */
  comment?: pulumi.Input<string>;
  /**
   * VMs kept running, waiting to be taken; 0..size, automatic pools only. On
   * KubeVirt 0 (`runStrategy: Halted`) or the size (`Always`); with `running`
   * or `runStrategy` in the VM spec it is derived from them and, if given, must
   * agree. @default 0; on KubeVirt what the VM spec means (`running: true` -> size)
   */
  prestarted?: pulumi.Input<number>;
  /** VMs one user may hold at once, 1..32767 (oVirt only). @default 1 */
  maxVmsPerUser?: pulumi.Input<number>;
  /** `automatic` returns a VM to the pool when its user shuts it down; `manual` waits for an administrator. Cannot change (oVirt only). @default "automatic" */
  type?: pulumi.Input<"automatic" | "manual">;
  /** Keep VM state between uses. Cannot change (oVirt only). @default false */
  stateful?: pulumi.Input<boolean>;
  /** Refuse to delete the pool while on (oVirt only). @default false */
  deleteProtection?: pulumi.Input<boolean>;
  /**
   * How long create, update and delete may wait, e.g. `{ create: "30m" }`
   * (Pulumi's `customTimeouts` option does not reach dynamic providers).
   * @default create 20m, update 20m, delete 10m
   */
  timeouts?: pulumi.Input<{ create?: pulumi.Input<string>; update?: pulumi.Input<string>; delete?: pulumi.Input<string> }>;
  /**
   * Take over an existing pool of this name as it is, instead of failing
   * because the name is taken (`pulumi import` cannot work for dynamic
   * resources); the next `up` brings it to these settings. @default false
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Place the pool in a trusted cluster, so its VMs run only on hosts an
   * attestation server verified. On oVirt the pool goes into that cluster
   * (`backend.cluster` may be left out); on KubeVirt every VM gets a required
   * node affinity to the cluster's attested nodes. Pulumi creates the cluster
   * first. @default none
   */
  trustedCluster?: TrustedCluster;
  /** The system the pool lives on and its options there. */
  backend: pulumi.Input<KubevirtBackendArgs | OvirtBackendArgs | VmoperatorBackendArgs>;
}

// The schema is the single source of truth; this fails to compile if the
// argument types drift from it.
type AssertAssignable<T extends U, U> = T;
export type _VmPoolArgsMatchSchema = AssertAssignable<pulumi.Unwrap<Omit<VmPoolArgs, "trustedCluster">> & { name: string; trustedCluster?: TrustedPlacement }, z.input<typeof vmPoolInputsSchema>>;

/** One shim for every pool: Pulumi caches its serialized text per object. */
// Marks the credentials of a pool's initial run as Pulumi secrets before they
// reach the engine, so Pulumi encrypts them in state even when the program
// passes plain strings (reference pulumi.md §3: secretness follows inputs).
// Only those fields become secret, so the rest of `backend` stays readable in
// previews. Here rather than in a module of its own: the policy pack imports
// this file and may reach nothing beyond it but the schemas.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * `value` with the input at `path` wrapped in `pulumi.secret`. Where an
 * object on the way is not yet known (an Output or a Promise), that whole
 * object becomes secret, which is coarser but never leaks.
 */
function markSecretAt(value: unknown, path: readonly string[]): unknown {
  if (value === undefined || value === null) {
    return value;
  }
  if (path.length === 0 || !isPlainObject(value)) {
    return pulumi.secret(value as pulumi.Input<unknown>);
  }
  const [key = "", ...rest] = path;
  if (!(key in value)) {
    return value;
  }
  return { ...value, [key]: markSecretAt(value[key], rest) };
}

/**
 * A pool's `backend` argument with `vm.initialRun`'s credentials
 * (`cloudInit.user.password`, `sysprep.adminPassword`, `sysprep.customFile`)
 * as secrets. Example: `{kind: "ovirt", vm: {initialRun: {sysprep:
 * {adminPassword: "pw"}}}}` -> the same with `adminPassword:
 * pulumi.secret("pw")`. Other backends are returned as they are.
 */
export function markBackendSecrets<T>(backend: pulumi.Input<T>): pulumi.Input<T> {
  if (!isPlainObject(backend)) {
    // Not known yet: the whole backend may hold credentials.
    return pulumi.output(backend).apply((b) => (hasInitialRun(b) ? pulumi.secret(b) : b)) as unknown as pulumi.Input<T>;
  }
  if (backend["kind"] !== "ovirt") {
    return backend;
  }
  let result: unknown = backend;
  for (const path of INITIAL_RUN_SECRET_PATHS) {
    result = markSecretAt(result, ["vm", "initialRun", ...path]);
  }
  return result as pulumi.Input<T>;
}

function hasInitialRun(backend: unknown): boolean {
  const vm = isPlainObject(backend) ? backend["vm"] : undefined;
  return isPlainObject(vm) && vm["initialRun"] !== undefined;
}

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
  /** Free text. */
  declare public readonly description: pulumi.Output<string>;
  /** Free text for administrators. */
  declare public readonly comment: pulumi.Output<string>;
  /** VMs kept running, waiting to be taken. */
  declare public readonly prestarted: pulumi.Output<number>;
  /** VMs one user may hold at once. */
  declare public readonly maxVmsPerUser: pulumi.Output<number>;
  /** Pool type. */
  declare public readonly type: pulumi.Output<"automatic" | "manual">;
  /** Whether VMs keep state between uses. */
  declare public readonly stateful: pulumi.Output<boolean>;
  /** Whether the provider refuses to delete the pool. */
  declare public readonly deleteProtection: pulumi.Output<boolean>;
  /** Backend options, with defaults applied. */
  declare public readonly backend: pulumi.Output<KubevirtBackendArgs | OvirtBackendArgs | VmoperatorBackendArgs>;
  /** The trusted cluster's placement, when the pool is placed in one. */
  declare public readonly trustedCluster: pulumi.Output<TrustedPlacement | undefined>;
  /** The backend's id of this incarnation of the pool (KubeVirt `metadata.uid`, oVirt pool id). */
  declare public readonly uid: pulumi.Output<string>;
  /** API version the pool was last written or read in. */
  declare public readonly apiVersion: pulumi.Output<string>;
  /** VMs the pool owns now, as the backend reports. */
  declare public readonly vmCount: pulumi.Output<number>;
  /** VMs that are ready. */
  declare public readonly readyVmCount: pulumi.Output<number>;
  /**
   * The pool's VMs: id, name and status (oVirt: the engine's status;
   * KubeVirt: the VM's printable status, e.g. `Running`, `Stopped`), and on
   * KubeVirt whether it is ready and the node it runs on; on oVirt with
   * `backend.vm`, `staleSettings`: the settings (paths under `backend.vm`)
   * the VM does not carry, empty when it carries all.
   */
  declare public readonly vms: pulumi.Output<{ id: string; name: string; status: string; ready?: boolean; node?: string; staleSettings?: string[] }[] | undefined>;
  /**
   * oVirt with `backend.vm`: the VMs that do not carry every declared VM
   * setting (the engine gives a pool's settings only to VMs it creates;
   * `backend.vmUpdatePolicy` decides what happens to existing ones).
   */
  declare public readonly vmsWithOldSettings: pulumi.Output<string[] | undefined>;
  /**
   * The pool's size now (KubeVirt `spec.replicas`): with `autoscaling`, what
   * the autoscaler last set; otherwise `size`.
   */
  declare public readonly currentSize: pulumi.Output<number | undefined>;
  /** VMs running (oVirt: up or on their way; KubeVirt: with a VM instance that has not finished). */
  declare public readonly runningVmCount: pulumi.Output<number | undefined>;
  /** VMs running and free, waiting to be taken (oVirt). */
  declare public readonly prestartedVmCount: pulumi.Output<number | undefined>;
  /** VMs held by a user (oVirt). */
  declare public readonly takenVmCount: pulumi.Output<number | undefined>;
  /** The member VMs' names (VM-Operator). */
  declare public readonly members: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: VmPoolArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      VM_POOL_PROVIDER,
      name,
      {
        name: args.name ?? name,
        size: args.size,
        description: args.description,
        comment: args.comment,
        prestarted: args.prestarted,
        maxVmsPerUser: args.maxVmsPerUser,
        type: args.type,
        stateful: args.stateful,
        deleteProtection: args.deleteProtection,
        timeouts: args.timeouts,
        adopt: args.adopt,
        trustedCluster: args.trustedCluster?.placement,
        backend: markBackendSecrets(args.backend),
        uid: undefined,
        apiVersion: undefined,
        vmCount: undefined,
        readyVmCount: undefined,
        vms: undefined,
        currentSize: undefined,
        runningVmCount: undefined,
        prestartedVmCount: undefined,
        takenVmCount: undefined,
        members: undefined,
        startedVms: undefined,
        vmsWithOldSettings: undefined,
      },
      opts,
      "vmpools",
      "VmPool",
    );
  }
}
