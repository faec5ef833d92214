/**
 * `vm-pool-trusted-placement`: a pool that needs trusted hosts is placed in
 * a `TrustedCluster`, and in the right one. Which pools need trusted hosts
 * is the reviewers' call, so it lives in this policy's config rather than in
 * the program an author could edit: pools whose name or Pulumi resource name
 * matches a pattern in `pools`, and, on KubeVirt, pools whose VM template
 * carries the `annotation` (an annotation, unlike a label, leaves the
 * pool's selector alone). Such a pool must set `trustedCluster` (the
 * `TrustedCluster` itself), so its placement shows in the program and Pulumi
 * creates the cluster first; naming a trusted cluster in `backend.cluster`
 * does not count, as nothing in the program says that cluster is trusted.
 */
import { z } from "zod";

import { validateTrustedPlacement } from "../../provider/schemas/cluster-rules";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { formatIssue } from "../lib/messages";
import { findMatchingPattern } from "../lib/patterns";
import { known, readVmPoolFields, type VmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-trusted-placement`. */
export const vmPoolTrustedPlacementConfig = z.strictObject({
  /**
   * Patterns of pool names (backend name or Pulumi resource name) that need
   * trusted hosts; `*` matches anything, letter case is ignored. @default []
   */
  pools: z.array(z.string().min(1)).default([]).describe("Pools (backend or Pulumi resource name patterns, * = anything) that need trusted hosts."),
  /**
   * A VM template annotation that marks a KubeVirt pool as needing trusted
   * hosts. @default `vmpools.io/trusted-hosts: required`
   */
  annotation: z
    .strictObject({ key: z.string().min(1), value: z.string() })
    .default({ key: "vmpools.io/trusted-hosts", value: "required" })
    .describe("A KubeVirt VM template annotation that marks a pool as needing trusted hosts."),
});

/** Settings of `vm-pool-trusted-placement`, with defaults applied. */
export type VmPoolTrustedPlacementConfig = z.infer<typeof vmPoolTrustedPlacementConfig>;

/** Why a pool counts as needing trusted hosts, or undefined when it does not. */
function findMark(pool: VmPoolFields, resourceName: string, config: VmPoolTrustedPlacementConfig): string | undefined {
  const name = known(pool.name);
  const byName = (name === undefined ? undefined : findMatchingPattern(name, config.pools)) ?? findMatchingPattern(resourceName, config.pools);
  if (byName !== undefined) {
    return `'${byName}' in 'pools'`;
  }
  const annotations = known(pool.vmAnnotations);
  if (annotations?.[config.annotation.key] === config.annotation.value) {
    return `the VM template annotation ${config.annotation.key}: ${config.annotation.value}`;
  }
  return undefined;
}

/** The policy. */
export const vmPoolTrustedPlacement = defineResourcePolicy({
  name: "vm-pool-trusted-placement",
  description: "Checks whether every pool that needs trusted hosts is placed in a TrustedCluster on its own backend.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps: "Pass the TrustedCluster as the pool's 'trustedCluster'.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolTrustedPlacementConfig,
  check(resource, config, report) {
    const pool = readVmPoolFields(resource.props);
    const placement = pool.trustedCluster;
    if (placement.state === "known") {
      const kind = known(pool.kind);
      if (kind !== undefined && pool.connection.state !== "unknown" && pool.cluster.state !== "unknown") {
        const cluster = known(pool.cluster);
        const connection = known(pool.connection);
        validateTrustedPlacement({ backend: { kind, ...(connection === undefined ? {} : { connection }), ...(cluster === undefined ? {} : { cluster }) }, trustedCluster: placement.value }).forEach((issue) => {
          report(formatIssue(issue));
        });
      }
      return;
    }
    const mark = findMark(pool, resource.name, config);
    // Unknown during preview means given: only a TrustedCluster's placement fills it.
    if (mark !== undefined && placement.state === "absent" && known(pool.kind) === "vmoperator") {
      report(`This pool needs trusted hosts (marked by ${mark}), but a VM-Operator pool cannot be placed in a TrustedCluster: its VMs exist on their own and run where their own definitions say; keep such pools on oVirt or KubeVirt`);
      return;
    }
    if (mark !== undefined && placement.state === "absent") {
      report(`'trustedCluster' must place this pool in a TrustedCluster: it needs trusted hosts (marked by ${mark}), and only a pool placed in one runs on attested hosts alone`);
    }
  },
});
