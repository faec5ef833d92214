import type { ResourceBackend, ResourceSnapshot } from "../resource-backend";
import type { VmPoolInputs } from "../schemas/vm-pool";

/**
 * What the provider stores for a pool: the inputs (as observed on the
 * backend after a read) plus what only the backend knows.
 */
export type VmPoolState = VmPoolInputs & {
  /** The backend's own id of this incarnation of the pool (KubeVirt `metadata.uid`). */
  uid: string;
  /** API version the pool was last written or read in, e.g. `pool.kubevirt.io/v1beta1`. */
  apiVersion: string;
  /** VMs the pool owns now, as the backend's controller reports (0 until it reports). */
  vmCount: number;
  /** VMs that are ready (KubeVirt: Ready condition True; oVirt: up). */
  readyVmCount: number;
  /**
   * The pool's VMs. `status` is the engine's (oVirt) or the VM's printable
   * status (KubeVirt); KubeVirt adds `ready` and, while it runs, `node`.
   */
  vms?: {
    id: string;
    name: string;
    status: string;
    ready?: boolean;
    node?: string;
    /** oVirt: the `backend.vm` settings (paths under it) this VM does not carry; empty when it carries all. */
    staleSettings?: string[];
  }[];
  /**
   * oVirt: VMs that do not carry every declared `backend.vm` setting, by
   * name. The engine gives a pool's VMs its settings only when it creates
   * them; with `vmUpdatePolicy: "newVmsOnly"` existing VMs keep theirs, with
   * `updateFreeVms` these are the VMs that were running or in use.
   */
  vmsWithOldSettings?: string[];
  /** The pool's size now (KubeVirt `spec.replicas`): with autoscaling, what the autoscaler last set. */
  currentSize?: number;
  /** VMs running (oVirt: up or on their way; KubeVirt: with a VM instance that has not finished). */
  runningVmCount?: number;
  /** VMs running and free, waiting to be taken (oVirt). */
  prestartedVmCount?: number;
  /** VMs held by a user (oVirt; VM-Operator: assigned to a user, or with a user on the console). */
  takenVmCount?: number;
  /** The member VMs' names (VM-Operator: the VMs whose `spec.pools` lists the pool). */
  members?: string[];
  /** Members the provider started for `prestarted` and that still run (VM-Operator): the only ones it may stop. */
  startedVms?: string[];
};

/** A pool as it exists on the backend: its id, state and matching inputs. */
export type PoolSnapshot = ResourceSnapshot<VmPoolInputs, VmPoolState>;

/** One backend's pool operations (see {@link ResourceBackend} for each method's contract). */
export type VmPoolBackend = ResourceBackend<VmPoolInputs, VmPoolState>;
