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
  /** The pool's VMs (oVirt). */
  vms?: { id: string; name: string; status: string }[];
  /** VMs running (oVirt). */
  runningVmCount?: number;
  /** VMs running and free, waiting to be taken (oVirt). */
  prestartedVmCount?: number;
  /** VMs held by a user (oVirt). */
  takenVmCount?: number;
};

/** A pool as it exists on the backend: its id, state and matching inputs. */
export interface PoolSnapshot {
  /** Pulumi resource id, e.g. `default/lab` on KubeVirt. */
  id: string;
  /** Stored outputs. */
  state: VmPoolState;
  /** Inputs that describe the live pool, for refresh. */
  inputs: VmPoolInputs;
}

/**
 * One backend's pool operations. Each method's contract says what exists on
 * the backend if it throws.
 */
export interface VmPoolBackend {
  /**
   * Creates the pool. On failure nothing is left behind, or the thrown error
   * carries the id of what exists. Never adopts an existing pool.
   */
  create(inputs: VmPoolInputs): Promise<PoolSnapshot>;
  /** Reads the pool; undefined when it no longer exists (or the name now belongs to another object). */
  read(id: string, previous: VmPoolState): Promise<PoolSnapshot | undefined>;
  /** Changes the pool in place; only fields that `diff` did not plan as replacements. */
  update(id: string, previous: VmPoolState, inputs: VmPoolInputs): Promise<PoolSnapshot>;
  /**
   * Optional read-only checks run by `check()` (so during preview too), e.g.
   * that referenced objects exist. Returns failures as `check()` reports
   * them; throws when the backend cannot be asked.
   */
  verify?(inputs: VmPoolInputs, previous: VmPoolInputs | undefined): Promise<{ property: string; reason: string }[]>;
  /** Deletes the pool and waits until it is gone; not-found is success. Idempotent. */
  delete(id: string, previous: VmPoolState): Promise<void>;
}
