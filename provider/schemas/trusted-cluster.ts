/**
 * Inputs of a `TrustedCluster`: a cluster that runs VMs only on hosts an
 * attestation server verified (seed 000, "Trusted Compute Pools"). On oVirt
 * an engine cluster with the trusted service on; on KubeVirt a set of nodes
 * (a node selector) of which only the attested ones (a node label) run the
 * VMs of pools placed in it.
 */
import { z } from "zod";

import { DEFAULT_ATTESTATION_LABEL, validateKubevirtTrustedSelector, validateOvirtClusterName, validateTrustedClusterServices } from "./cluster-rules";
import { DNS_LABEL, labelKeySchema, labelValueSchema } from "./kubernetes-names";
import type { RuleIssue } from "./kubevirt-rules";

/** The engine's `GENERAL_MAX_SIZE` for descriptions. */
const MAX_DESCRIPTION_LENGTH = 4_000;

/** The oVirt part of a trusted cluster. */
export const ovirtTrustedClusterBackendSchema = z.strictObject({
  /** Discriminator. */
  kind: z.literal("ovirt"),
  /** A named connection from `vmpools:connections`; the default connection when absent. */
  connection: z.string().min(1).optional(),
  /** The data center, by name or id. Changing it replaces the cluster (the engine cannot move one). */
  dataCenter: z.string().min(1, "must name a data center"),
  /** CPU type, e.g. `Intel Nehalem Family`. @default the engine's choice from the first host */
  cpuType: z.string().min(1).optional(),
  /** Compatibility version `major.minor`, e.g. `4.7`. @default the data center's */
  compatibilityVersion: z.string().regex(/^\d+\.\d+$/, "must be a version 'major.minor' such as '4.7'").optional(),
  /** The virt service; a trusted cluster needs it. @default true */
  virtService: z.boolean().default(true),
  /** The gluster service; a trusted cluster excludes it. @default false */
  glusterService: z.boolean().default(false),
  /** Free text for administrators. @default "" */
  comment: z.string().default(""),
});

/** The KubeVirt part of a trusted cluster. */
export const kubevirtTrustedClusterBackendSchema = z.strictObject({
  /** Discriminator. */
  kind: z.literal("kubevirt"),
  /** A named connection from `vmpools:connections`; the default connection when absent. */
  connection: z.string().min(1).optional(),
  /** Labels that pick the cluster's nodes; empty means every node. @default {} */
  nodeSelector: z.record(labelKeySchema, labelValueSchema).default({}),
  /**
   * The label an attestation agent puts on nodes it verified. Pools placed in
   * this cluster get a required node affinity on it, so their VMs schedule
   * only on attested nodes. @default `vmpools.io/attested=true`
   */
  attestationLabel: z.strictObject({ key: labelKeySchema, value: labelValueSchema }).default({ ...DEFAULT_ATTESTATION_LABEL }),
});

/** Backend kinds a trusted cluster can live on. */
export const TRUSTED_CLUSTER_BACKEND_KINDS = ["kubevirt", "ovirt"] as const;

/** Inputs of a `TrustedCluster` as the provider receives them, after defaults. */
export const trustedClusterInputsSchema = z
  .strictObject({
    /** The cluster's name; its identity, so changing it replaces the cluster. @default the Pulumi resource name */
    name: z.string().min(1, "must not be empty"),
    /** Free text. @default "" */
    description: z.string().max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`).default(""),
    /** The system the cluster lives on and its options there. */
    backend: z.discriminatedUnion("kind", [kubevirtTrustedClusterBackendSchema, ovirtTrustedClusterBackendSchema], {
      error: (issue) => {
        const code: string = issue.code;
        return code === "invalid_union" ? "must have a 'kind' of 'kubevirt' or 'ovirt'" : undefined;
      },
    }),
  })
  .superRefine((inputs, ctx) => {
    const issues: RuleIssue[] =
      inputs.backend.kind === "ovirt"
        ? [...validateOvirtClusterName(inputs.name), ...validateTrustedClusterServices(inputs.backend)]
        : [
            ...(DNS_LABEL.test(inputs.name) && inputs.name.length <= 63
              ? []
              : [{ path: ["name"], value: inputs.name, message: "must be a DNS-1123 label of at most 63 characters (it names the placement in pool annotations)" }]),
            ...validateKubevirtTrustedSelector(inputs.backend),
          ];
    for (const issue of issues) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, input: issue.value });
    }
  });

/** Inputs of a `TrustedCluster` after defaults. */
export type TrustedClusterInputs = z.infer<typeof trustedClusterInputsSchema>;

const BACKEND_DEFAULTS: Record<string, Record<string, unknown>> = {
  ovirt: { virtService: true, glusterService: false, comment: "" },
  kubevirt: { nodeSelector: {}, attestationLabel: { ...DEFAULT_ATTESTATION_LABEL } },
};

/** Defaults on inputs that did not parse (preview unknowns), so state and diffs show them anyway. */
export function applyTrustedClusterDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = { description: "", ...raw };
  const backend = raw["backend"];
  if (typeof backend === "object" && backend !== null && !Array.isArray(backend)) {
    const kind = (backend as Record<string, unknown>)["kind"];
    filled["backend"] = { ...(typeof kind === "string" ? BACKEND_DEFAULTS[kind] : {}), ...backend };
  }
  return filled;
}

/**
 * Where a pool placed in a trusted cluster must run: the `placement` output
 * of a `TrustedCluster`, given to a `VmPool` as `trustedCluster`. On oVirt
 * the cluster itself; on KubeVirt the node selector and attestation label
 * that become a required node affinity of every VM.
 */
export const trustedPlacementSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("ovirt"),
    connection: z.string().min(1).optional(),
    /** The cluster's name. */
    name: z.string().min(1),
    /** The engine's id of the cluster. */
    id: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal("kubevirt"),
    connection: z.string().min(1).optional(),
    /** The trusted cluster's name. */
    name: z.string().min(1),
    /** Labels that pick the cluster's nodes. */
    nodeSelector: z.record(labelKeySchema, labelValueSchema),
    /** The label attested nodes carry. */
    attestationLabel: z.strictObject({ key: labelKeySchema, value: labelValueSchema }),
  }),
]);

/** A trusted cluster's placement (see {@link trustedPlacementSchema}). */
export type TrustedPlacement = z.infer<typeof trustedPlacementSchema>;
