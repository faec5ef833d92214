import { z } from "zod";

import { isUnknown, UNKNOWN } from "../check";
import { DURATION, parseDuration } from "./duration";
import { validateTrustedPlacement } from "./cluster-rules";
import { labelKeySchema, labelValueSchema, namespaceSchema } from "./kubernetes-names";
import { kubevirtPoolPolicyFields } from "./kubevirt-pool-policy";
import { calculateKubevirtPrestarted, KUBEVIRT_POOL_LABEL, validateKubevirtPoolLabel, validateKubevirtPrestarted, validateKubevirtUnsupported, validateKubevirtVmNames, validateKubevirtVmTemplate } from "./kubevirt-rules";
import { validateKubevirtAutoscaling } from "./kubevirt-scaling-rules";
import { validateOvirtPoolName, validateOvirtVmNames } from "./ovirt-rules";
import { validateOvirtVmSettings } from "./ovirt-vm-rules";
import { ovirtVmSettingsSchema, vmUpdatePolicySchema } from "./ovirt-vm-settings";
import { validatePrestarted, validateSpiceProxy } from "./pool-rules";
import { trustedPlacementSchema } from "./trusted-cluster";
import { DEFAULT_VMOPERATOR_NAMESPACE, validateVmoperatorBackend, validateVmoperatorUnsupported, vmoperatorBackendSchema, type VmoperatorBackendInputs } from "./vmoperator-backend";
import { DEFAULT_VMOPERATOR_RETENTION } from "./vmoperator-retention";

export { DNS_LABEL } from "./kubernetes-names";

/** Namespace used when `backend.namespace` is not given. */
export const DEFAULT_KUBEVIRT_NAMESPACE = "default";

/** The largest pool the provider accepts; KubeVirt's `spec.replicas` is an int32. */
export const MAX_POOL_SIZE = 2_147_483_647;
/** `max_user_vms` bounds of the engine (`VmPool` bean validation). */
export const MAX_VMS_PER_USER = 32_767;
/** The engine's `GENERAL_MAX_SIZE` for descriptions. */
export const MAX_DESCRIPTION_LENGTH = 4_000;

const labelsSchema = z
  .record(labelKeySchema, labelValueSchema)
  .refine((labels) => Object.keys(labels).length > 0, "must hold at least one label, since the pool's selector is generated from them");

/**
 * The KubeVirt part of a pool: where it lives and what each VM looks like.
 * It maps onto a `VirtualMachinePool` (`pool.kubevirt.io`).
 */
export const kubevirtBackendSchema = z.strictObject({
  /** Discriminator. */
  kind: z.literal("kubevirt"),
  /** A named connection from `vmpools:connections`; the default connection when absent. */
  connection: z.string().min(1).optional(),
  /** Namespace of the `VirtualMachinePool`. @default "default" */
  namespace: namespaceSchema.default(DEFAULT_KUBEVIRT_NAMESPACE),
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
  /**
   * Per-VM names for referenced objects (KubeVirt 1.5+ `spec.nameGeneration`):
   * with `appendIndexToSecretRefs`, VM `<pool>-3` mounts secret `<name>-3`
   * (pre-create `<name>-0` .. `<name>-N-1`). @default neither
   */
  nameGeneration: z
    .strictObject({
      appendIndexToConfigMapRefs: z.boolean().optional(),
      appendIndexToSecretRefs: z.boolean().optional(),
    })
    .optional(),
  /**
   * Wait until `status.readyReplicas` reaches the size after create and
   * update (within `timeouts`). @default false
   */
  waitForReady: z.boolean().optional(),
  // forceShrink, scaleInStrategy, updateStrategy, autohealing,
  // maxUnavailable, paused, autoscaling: see kubevirt-pool-policy.ts.
  ...kubevirtPoolPolicyFields,
});

/**
 * The oVirt part of a pool: the engine connection, where the pool's VMs run
 * and which template they are cloned from.
 */
export const ovirtBackendSchema = z.strictObject({
  /** Discriminator. */
  kind: z.literal("ovirt"),
  /** A named connection from `vmpools:connections`; the default connection when absent. */
  connection: z.string().min(1).optional(),
  /** The cluster, by name or id. Changing it replaces the pool. */
  cluster: z.string().min(1, "must name a cluster (name or id)").optional(),
  /** The template, by name or id. */
  template: z.string().min(1, "must name a template (name or id)"),
  /**
   * A template version number, or `latest` to follow the newest version as the
   * engine's "use latest template version" does. @default the base version
   */
  templateVersion: z.union([z.number().int().min(1), z.literal("latest")]).optional(),
  /** SPICE proxy for the pool's consoles, `protocol://host:port` (the engine's `display.proxy`). */
  spiceProxy: z.string().optional(),
  /** Let the engine choose target storage domains for disks. Cannot change. @default false */
  autoStorageSelect: z.boolean().default(false),
  /** On delete, detach the VMs and keep them as standalone VMs instead of removing them. @default false */
  keepVmsOnDelete: z.boolean().default(false),
  /** Shrinking may remove VMs that are running or held by users. @default false */
  forceShrink: z.boolean().default(false),
  /** After create and update, wait until the prestarted VMs are up (within `timeouts`). @default false */
  waitForPrestarted: z.boolean().optional(),
  /**
   * The VM settings of the New Pool window, as overrides of the template for
   * the pool's VMs (see ovirt-vm-settings.ts). @default the template's settings
   */
  vm: ovirtVmSettingsSchema.optional(),
  /**
   * What an edit of `vm` does to existing VMs: `newVmsOnly` leaves them
   * alone, `updateFreeVms` also updates those down and free, one at a time,
   * never one in use or running. @default "newVmsOnly"
   */
  vmUpdatePolicy: vmUpdatePolicySchema.optional(),
});

/** Backend kinds this version supports. */
export const BACKEND_KINDS = ["kubevirt", "ovirt", "vmoperator"] as const;

/** Fields every pool has, whatever the backend. */
const commonFields = {
  /**
   * The pool's name on the backend. It is the pool's identity: changing it
   * replaces the pool. @default the Pulumi resource name
   */
  name: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters"),
  /** Free text. @default "" */
  description: z.string().max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`).default(""),
  /** Free text for administrators. @default "" */
  comment: z.string().default(""),
  /** Number of VMs in the pool. */
  size: z.number().int("must be a whole number").min(0, "must be 0 or more").max(MAX_POOL_SIZE),
  /**
   * VMs kept running, waiting to be taken. On KubeVirt 0 or the size, mapped
   * onto `runStrategy`. @default 0; on KubeVirt, what the VM spec's `running`
   * or `runStrategy` means (the size for `running: true` or `Always`), see
   * {@link calculateDefaultPrestarted}
   */
  prestarted: z.number().int("must be a whole number").min(0, "must be 0 or more").optional(),
  /** How many of the pool's VMs one user may hold at once. @default 1 */
  maxVmsPerUser: z.number().int("must be a whole number").min(1, "must be between 1 and 32767").max(MAX_VMS_PER_USER, "must be between 1 and 32767").default(1),
  /** `automatic`: a VM returns to the pool when its user shuts it down; `manual`: an administrator returns it. Cannot change. @default "automatic" */
  type: z.enum(["automatic", "manual"], { error: "must be 'automatic' or 'manual'" }).default("automatic"),
  /** Keep VM state between uses (otherwise VMs are stateless). Cannot change. @default false */
  stateful: z.boolean().default(false),
  /** Refuse to delete the pool until this is turned off. @default false */
  deleteProtection: z.boolean().default(false),
  /**
   * How long create, update and delete may wait for the backend, as
   * durations like `10m` or `1h30m` (Pulumi's `customTimeouts` option does not
   * reach dynamic providers). @default create 20m, update 20m, delete 10m
   */
  timeouts: z
    .strictObject({
      create: z.string().regex(DURATION, "must be a duration such as '10m', '1h30m' or '90s'").optional(),
      update: z.string().regex(DURATION, "must be a duration such as '10m', '1h30m' or '90s'").optional(),
      delete: z.string().regex(DURATION, "must be a duration such as '10m', '1h30m' or '90s'").optional(),
    })
    .optional(),
  /**
   * Take over an existing pool of this name instead of failing because the
   * name is taken (`pulumi import` cannot work for dynamic resources). The
   * next `up` then brings it to the declared settings. @default false
   */
  adopt: z.boolean().optional(),
  /**
   * The trusted cluster the pool is placed in: the `placement` output of a
   * `TrustedCluster`. On oVirt the pool's cluster; on KubeVirt every VM gets
   * a required node affinity to the cluster's attested nodes. @default none
   */
  trustedCluster: trustedPlacementSchema.optional(),
};

/** How long each operation may wait when `timeouts` says nothing. */
export const DEFAULT_TIMEOUTS_MS = { create: 1_200_000, update: 1_200_000, delete: 600_000 } as const;

/** The deadline budget of an operation, in ms, from the inputs' `timeouts`. */
export function calculateTimeoutMs(inputs: { timeouts?: { create?: string | undefined; update?: string | undefined; delete?: string | undefined } | undefined }, operation: keyof typeof DEFAULT_TIMEOUTS_MS): number {
  const text = inputs.timeouts?.[operation];
  return text === undefined ? DEFAULT_TIMEOUTS_MS[operation] : parseDuration(text);
}

/**
 * Inputs of a `VmPool` as the provider receives them, after defaults.
 * A discriminated union on `backend.kind`, so each backend's options are typed
 * on their own.
 */
export const vmPoolInputsSchema = z
  .strictObject({
    ...commonFields,
    backend: z.discriminatedUnion("kind", [kubevirtBackendSchema, ovirtBackendSchema, vmoperatorBackendSchema], {
      // Typed as invalid_union only, but zod also routes invalid_type (e.g.
      // null) here; those keep zod's own message.
      error: (issue) => {
        const code: string = issue.code;
        const kinds = BACKEND_KINDS.map((k) => `'${k}'`);
        return code === "invalid_union" ? `must have a 'kind' of ${kinds.slice(0, -1).join(", ")} or ${kinds[kinds.length - 1] ?? ""}` : undefined;
      },
    }),
  })
  .superRefine((inputs, ctx) => {
    const issues = [...validatePrestarted({ ...inputs, prestarted: inputs.prestarted ?? 0 }), ...validateTrustedPlacement(inputs)];
    switch (inputs.backend.kind) {
      case "kubevirt": {
        const template = inputs.backend.virtualMachineTemplate;
        issues.push(
          ...validateKubevirtVmNames(inputs.name, inputs.size),
          ...validateKubevirtVmTemplate(template.spec),
          // `prestarted` as the user gave it: unset is derived from the spec, a given value must agree with it.
          ...validateKubevirtPrestarted(inputs.prestarted, inputs.size, template.spec),
          // A name still unknown during preview cannot be compared with.
          ...(isUnknown(inputs.name) ? [] : validateKubevirtPoolLabel(inputs.name, template.metadata?.labels, template.spec)),
          ...validateKubevirtUnsupported(inputs),
          ...validateKubevirtAutoscaling(
            { ...inputs, prestarted: inputs.prestarted ?? calculateDefaultPrestarted(inputs), backend: inputs.backend },
            // The generated label names the pool, unknown while its name is.
            template.metadata?.labels ?? (isUnknown(inputs.name) ? undefined : { [KUBEVIRT_POOL_LABEL]: inputs.name }),
          ),
        );
        break;
      }
      case "ovirt":
        if (inputs.backend.cluster === undefined && inputs.trustedCluster === undefined) {
          issues.push({ path: ["backend", "cluster"], value: undefined, message: "must name the pool's cluster (name or id), unless the pool is placed in a TrustedCluster ('trustedCluster')" });
        }
        issues.push(...validateOvirtPoolName(inputs.name), ...validateOvirtVmNames(inputs.name, inputs.size), ...validateSpiceProxy(inputs.backend.spiceProxy), ...validateOvirtVmSettings({ ...inputs, backend: inputs.backend }));
        break;
      case "vmoperator":
        issues.push(...validateVmoperatorUnsupported(inputs), ...validateVmoperatorBackend({ ...inputs, backend: inputs.backend }));
        break;
    }
    for (const issue of issues) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, input: issue.value });
    }
  })
  // Defaults that depend on other fields, which `.default()` cannot express.
  .transform((inputs) => ({ ...inputs, prestarted: inputs.prestarted ?? calculateDefaultPrestarted(inputs) }));

/**
 * `prestarted` when the user leaves it unset: 0, except on KubeVirt, where it
 * reports what the VM spec already says, so state does not show 0 prestarted
 * for a pool whose VMs all run. Example: `running: true`, size 2 -> 2.
 */
export function calculateDefaultPrestarted(inputs: { size: number; backend: { kind: string; virtualMachineTemplate?: { spec: Record<string, unknown> } } }): number {
  const spec = inputs.backend.kind === "kubevirt" ? inputs.backend.virtualMachineTemplate?.spec : undefined;
  return spec === undefined ? 0 : calculateKubevirtPrestarted(spec, inputs.size);
}

/**
 * The cluster an oVirt pool lives in, by name or id: `backend.cluster`, or
 * the trusted cluster it is placed in. Example: `{ trustedCluster: { name:
 * "secure" } }` -> `"secure"`.
 */
export function calculateOvirtPoolCluster(inputs: { backend: { cluster?: string | undefined }; trustedCluster?: { name: string } | undefined }): string {
  const cluster = inputs.backend.cluster ?? inputs.trustedCluster?.name;
  if (cluster === undefined) {
    // check() refuses such inputs, so this is a bug, not user error.
    throw new Error("an oVirt pool without 'backend.cluster' or 'trustedCluster' passed check()");
  }
  return cluster;
}

/** `VmPool` inputs after `check()`: defaults applied, every rule satisfied. */
export type VmPoolInputs = z.infer<typeof vmPoolInputsSchema>;
/** The KubeVirt backend options after defaults. */
export type KubevirtBackendInputs = z.infer<typeof kubevirtBackendSchema>;
/** The oVirt backend options after defaults. */
export type OvirtBackendInputs = z.infer<typeof ovirtBackendSchema>;
/** The backend kinds a pool can live on. */
export type BackendKind = VmPoolInputs["backend"]["kind"];
/** Inputs of a pool on KubeVirt. */
export type KubevirtPoolInputs = VmPoolInputs & { backend: KubevirtBackendInputs };
/** Inputs of a pool on oVirt. */
export type OvirtPoolInputs = VmPoolInputs & { backend: OvirtBackendInputs };
/** Inputs of a pool on VM-Operator. */
export type VmoperatorPoolInputs = VmPoolInputs & { backend: VmoperatorBackendInputs };

/** The common fields' defaults, for backends that rebuild inputs from what they read. */
export const COMMON_DEFAULTS = {
  description: "",
  comment: "",
  prestarted: 0,
  maxVmsPerUser: 1,
  type: "automatic",
  stateful: false,
  deleteProtection: false,
} as const;

const OBJECT_DEFAULTS: Record<string, Record<string, unknown>> = {
  common: { ...COMMON_DEFAULTS },
  kubevirt: { namespace: DEFAULT_KUBEVIRT_NAMESPACE },
  ovirt: { autoStorageSelect: false, keepVmsOnDelete: false, forceShrink: false },
  vmoperator: { namespace: DEFAULT_VMOPERATOR_NAMESPACE, retention: DEFAULT_VMOPERATOR_RETENTION, loginOnAssignment: false },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Applies the schema's defaults to inputs that could not be parsed yet because
 * some values are unknown during preview, so a missing default is not
 * mistaken for a change. Mirrors the `.default()` calls and the transform
 * above. `given` is what the program sent: a `prestarted` it leaves unset is
 * derived as {@link calculateDefaultPrestarted} does, and is unknown while
 * the values it derives from are.
 */
export function applyVmPoolDefaults(raw: Record<string, unknown>, given: Record<string, unknown> = raw): Record<string, unknown> {
  const withCommon: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(OBJECT_DEFAULTS["common"] ?? {})) {
    withCommon[key] ??= value;
  }
  if (given["prestarted"] === undefined) {
    withCommon["prestarted"] = derivePrestartedForPreview(withCommon);
  }
  const backend = raw["backend"];
  if (isObject(backend) && typeof backend["kind"] === "string") {
    const defaults = OBJECT_DEFAULTS[backend["kind"]];
    if (defaults !== undefined) {
      const filled: Record<string, unknown> = { ...backend };
      for (const [key, value] of Object.entries(defaults)) {
        filled[key] ??= value;
      }
      withCommon["backend"] = filled;
    }
  }
  return withCommon;
}

/** {@link calculateDefaultPrestarted} on inputs that may hold unknowns: unknown when it depends on one. */
function derivePrestartedForPreview(inputs: Record<string, unknown>): unknown {
  const backend = inputs["backend"];
  if (!isObject(backend) || backend["kind"] !== "kubevirt") {
    return isUnknown(backend) || (isObject(backend) && isUnknown(backend["kind"])) ? UNKNOWN : 0;
  }
  const template = backend["virtualMachineTemplate"];
  const spec = isObject(template) ? template["spec"] : template;
  if (!isObject(spec)) {
    return isUnknown(spec) ? UNKNOWN : 0;
  }
  if (isUnknown(spec["running"]) || isUnknown(spec["runStrategy"])) {
    return UNKNOWN;
  }
  const size = inputs["size"];
  if (typeof size === "number") {
    return calculateKubevirtPrestarted(spec, size);
  }
  // The size matters only for a spec that runs the VMs.
  return calculateKubevirtPrestarted(spec, 1) > 0 && isUnknown(size) ? UNKNOWN : 0;
}
