/**
 * The pools of a stack, as stack policies see them: every `VmPool` with its
 * fields read from its outputs (the checked inputs for a pool still to be
 * created, the state for one that exists).
 */
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import type { StackResource } from "./define-policy";
import { readVmPoolFields, type VmPoolFields } from "./vm-pool-fields";

/** One pool of the stack. */
export interface StackPool {
  /** The `VmPool` resource. */
  readonly resource: StackResource;
  /** Its fields. */
  readonly fields: VmPoolFields;
}

/** The stack's pools, by resource name: the engine's order varies from run to run, messages should not. */
export function listStackPools(resources: readonly StackResource[]): StackPool[] {
  return resources
    .filter((r) => r.type === VM_POOL_TYPE)
    .sort((a, b) => a.name.localeCompare(b.name) || a.urn.localeCompare(b.urn))
    .map((resource) => ({ resource, fields: readVmPoolFields(resource.props) }));
}

