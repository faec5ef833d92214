/**
 * The contract every resource's backend fulfils, whatever the resource
 * (`VmPool`, `TrustedCluster`, `PoolPermission`) and whatever the system.
 * Each method says what exists on the backend if it throws.
 */
import type { CheckFailure } from "./check";

/** A resource as it exists on the backend: its id, stored state and matching inputs. */
export interface ResourceSnapshot<I, S> {
  /** Pulumi resource id, e.g. `default/lab` on KubeVirt, the engine's uuid on oVirt. */
  id: string;
  /** Stored outputs. */
  state: S;
  /** Inputs that describe the live resource, for refresh. */
  inputs: I;
}

/** One backend's operations on one kind of resource. */
export interface ResourceBackend<I, S> {
  /**
   * Creates the resource. On failure nothing is left behind, or the thrown
   * error carries the id of what exists. Never adopts an existing object
   * unless the inputs ask for it.
   */
  create(inputs: I): Promise<ResourceSnapshot<I, S>>;
  /** Reads the resource; undefined when it no longer exists (or the name now belongs to another object). */
  read(id: string, previous: S): Promise<ResourceSnapshot<I, S> | undefined>;
  /** Changes the resource in place; only fields that `diff` did not plan as replacements. */
  update(id: string, previous: S, inputs: I): Promise<ResourceSnapshot<I, S>>;
  /**
   * Optional read-only checks run by `check()` (so during preview too), e.g.
   * that referenced objects exist. Returns failures as `check()` reports
   * them; throws when the backend cannot be asked. What the change will do
   * that the user should know but that is no reason to stop (which VMs a
   * shrink removes, whether a template change restarts running VMs) goes to
   * `notice`, which `preview` shows as a warning.
   */
  verify?(inputs: I, previous: I | undefined, notice?: (message: string) => void): Promise<CheckFailure[]>;
  /**
   * Deletes what this resource created and waits until it is gone; not-found
   * is success. Idempotent. Never deletes what the resource did not create.
   */
  delete(id: string, previous: S): Promise<void>;
}
