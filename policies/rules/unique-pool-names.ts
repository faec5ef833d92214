/**
 * `unique-pool-names`: no two pools of the stack with the same name on one
 * oVirt engine, in one KubeVirt namespace or in one VM-Operator namespace
 * (KubeVirt's `VirtualMachinePool` and VM-Operator's `VmPool` are different
 * API groups, so they do not collide with each other). The second create would fail
 * (oVirt names are unique per engine, exactly and case-sensitively,
 * reference §2.3), or, with `adopt`, two resources would manage one pool.
 * Engines and clusters are told apart by `backend.connection`.
 */
import { z } from "zod";

import { defineStackPolicy } from "../lib/define-policy";
import { listStackPools, type StackPool } from "../lib/stack-pools";
import { known } from "../lib/vm-pool-fields";

/** Settings of `unique-pool-names`: none. */
export const uniquePoolNamesConfig = z.strictObject({});

/** Where a pool's name must be unique, e.g. `oVirt engine (default connection)`; undefined while unknown. */
function describeScope(pool: StackPool): string | undefined {
  const { kind, connection, namespace } = pool.fields;
  if (kind.state !== "known" || connection.state === "unknown" || namespace.state === "unknown") {
    return undefined;
  }
  const through = connection.state === "known" ? `connection '${connection.value}'` : "default connection";
  if (kind.value === "ovirt") {
    return `the oVirt engine (${through})`;
  }
  return `${kind.value === "kubevirt" ? "KubeVirt" : "VM-Operator"} namespace '${known(namespace) ?? "default"}' (${through})`;
}

/** The policy. */
export const uniquePoolNames = defineStackPolicy({
  name: "unique-pool-names",
  description: "Checks whether no two pools of the stack share a name on one oVirt engine or in one KubeVirt or VM-Operator namespace.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Give each pool its own 'name' (the Pulumi resource name is the default).",
  config: uniquePoolNamesConfig,
  check(resources, _config, report) {
    const first = new Map<string, StackPool>();
    for (const pool of listStackPools(resources)) {
      const name = known(pool.fields.name);
      const scope = describeScope(pool);
      if (name === undefined || scope === undefined) {
        continue;
      }
      const key = JSON.stringify([scope, name]);
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, pool);
      } else {
        report(`Pool name '${name}' must be unique in ${scope}: resources '${earlier.resource.name}' and '${pool.resource.name}' both use it`, pool.resource.urn);
      }
    }
  },
});
