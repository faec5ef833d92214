import { z } from "zod";

import { validateKubevirtVmNames, validateKubevirtVmTemplate } from "./kubevirt-rules";

/**
 * Kubernetes object names used for pools: a DNS-1123 label, because every VM
 * name `<pool>-<index>` is copied into the label `vm.kubevirt.io/name`, and
 * label values allow at most 63 characters of this alphabet.
 */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Label keys and values as Kubernetes accepts them (prefix optional). */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Namespace used when `backend.namespace` is not given. */
export const DEFAULT_KUBEVIRT_NAMESPACE = "default";

/** The largest pool the provider accepts on KubeVirt; `spec.replicas` is an int32. */
export const MAX_KUBEVIRT_POOL_SIZE = 2_147_483_647;

const labelsSchema = z
  .record(
    z.string().regex(LABEL_KEY, "must be a Kubernetes label key such as 'app' or 'example.com/app'"),
    z
      .string()
      .max(63, "must be at most 63 characters (a Kubernetes label value)")
      .regex(LABEL_VALUE, "must be a Kubernetes label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit"),
  )
  .refine((labels) => Object.keys(labels).length > 0, "must hold at least one label, since the pool's selector is generated from them");

/**
 * The KubeVirt part of a pool: where it lives and what each VM looks like.
 * It maps onto a `VirtualMachinePool` (`pool.kubevirt.io`).
 */
export const kubevirtBackendSchema = z.strictObject({
  /** Discriminator. */
  kind: z.literal("kubevirt"),
  /** Namespace of the `VirtualMachinePool`. @default "default" */
  namespace: z.string().regex(DNS_LABEL, "must be a Kubernetes namespace name (a DNS-1123 label)").max(63).default(DEFAULT_KUBEVIRT_NAMESPACE),
  /** The VM template, as `spec.virtualMachineTemplate` of a `VirtualMachinePool`. */
  virtualMachineTemplate: z.strictObject({
    /** Labels and annotations copied onto every VM. */
    metadata: z
      .strictObject({
        labels: labelsSchema.optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    /** A KubeVirt `VirtualMachineSpec` (`runStrategy`, `template`, `dataVolumeTemplates`, ...). */
    spec: z.record(z.string(), z.unknown()),
  }),
});

/** Backend kinds this version supports. */
export const BACKEND_KINDS = ["kubevirt"] as const;

/** Fields every pool has, whatever the backend. */
const commonFields = {
  /**
   * The pool's name on the backend. It is the pool's identity: changing it
   * replaces the pool. @default the Pulumi resource name
   */
  name: z.string().min(1, "must not be empty").max(63, "must be at most 63 characters").regex(DNS_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit"),
  /** Number of VMs in the pool (KubeVirt `spec.replicas`). */
  size: z.number().int("must be a whole number").min(0, "must be 0 or more").max(MAX_KUBEVIRT_POOL_SIZE),
};

/**
 * Inputs of a `VmPool` as the provider receives them, after defaults.
 * A discriminated union on `backend.kind`, so each backend's options are typed
 * on their own.
 */
export const vmPoolInputsSchema = z
  .strictObject({
    ...commonFields,
    backend: z.discriminatedUnion("kind", [kubevirtBackendSchema], {
      // Typed as invalid_union only, but zod also routes invalid_type (e.g.
      // null) here; those keep zod's own message.
      error: (issue) => {
        const code: string = issue.code;
        return code === "invalid_union" ? `must have a 'kind' of ${BACKEND_KINDS.map((k) => `'${k}'`).join(", ")}` : undefined;
      },
    }),
  })
  .superRefine((inputs, ctx) => {
    for (const issue of [
      ...validateKubevirtVmNames(inputs.name, inputs.size),
      ...validateKubevirtVmTemplate(inputs.backend.virtualMachineTemplate.spec),
    ]) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, input: issue.value });
    }
  });

/** `VmPool` inputs after `check()`: defaults applied, every rule satisfied. */
export type VmPoolInputs = z.infer<typeof vmPoolInputsSchema>;
/** The KubeVirt backend options after defaults. */
export type KubevirtBackendInputs = z.infer<typeof kubevirtBackendSchema>;
/** The backend kinds a pool can live on. */
export type BackendKind = VmPoolInputs["backend"]["kind"];

/**
 * Applies the schema's defaults to inputs that could not be parsed yet because
 * some values are unknown during preview, so a missing default is not
 * mistaken for a change. Mirrors the `.default()` calls above.
 */
export function applyVmPoolDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  const backend = raw["backend"];
  if (typeof backend === "object" && backend !== null && !Array.isArray(backend)) {
    const b = backend as Record<string, unknown>;
    if (b["kind"] === "kubevirt" && b["namespace"] === undefined) {
      return { ...raw, backend: { ...b, namespace: DEFAULT_KUBEVIRT_NAMESPACE } };
    }
  }
  return raw;
}
