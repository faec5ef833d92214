/**
 * Pure conversions between `VmPool` inputs and the engine's `vm_pool` JSON
 * (snake_case, references as `{id}`), written from the API reference §2.
 */
import { z } from "zod";

import { COMMON_DEFAULTS, type OvirtPoolInputs } from "../../schemas/vm-pool";
import { toOvirtPoolVmBody, type VmSettingsRefs } from "./vm-settings-mapping";

/** Ids the backend resolved the inputs' names to. */
export interface ResolvedRefs {
  readonly clusterId: string;
  readonly templateId: string;
}

/** Ids for a create: the pool's references plus the hosts its VMs may start on. */
export type CreateRefs = ResolvedRefs & VmSettingsRefs;

/**
 * The body of `PUT /vmpools/{id}`: only what the engine changes in place.
 * Fields left out keep their values; `size` is the absolute target.
 * `template` is sent only when the template version changes
 * (`templateChanged`): a PUT naming a template makes the engine derive the
 * VMs a grow adds from the template alone, dropping the pool's VM settings
 * (`BackendVmPoolResource.UpdateParametersProvider`, reference §2.4), while
 * without it they are copies of an existing pool VM.
 */
export function toOvirtPoolUpdateBody(inputs: OvirtPoolInputs, refs: ResolvedRefs, templateChanged = true): Record<string, unknown> {
  return {
    // The engine accepts another version of the same base template only.
    ...(templateChanged ? { template: { id: refs.templateId } } : {}),
    use_latest_template_version: inputs.backend.templateVersion === "latest",
    description: inputs.description,
    comment: inputs.comment,
    size: inputs.size,
    prestarted_vms: inputs.prestarted,
    max_user_vms: inputs.maxVmsPerUser,
    ...(inputs.backend.spiceProxy === undefined ? {} : { display: { proxy: inputs.backend.spiceProxy } }),
  };
}

/**
 * The body of `POST /vmpools`: what an update sends, plus the fields fixed
 * at creation. Delete protection is enforced by the provider (it refuses to
 * delete), not sent to the engine.
 */
export function toOvirtPoolCreateBody(inputs: OvirtPoolInputs, refs: ResolvedRefs | CreateRefs): Record<string, unknown> {
  const vm = toOvirtPoolVmBody(inputs.backend.vm, { hostIds: "hostIds" in refs ? refs.hostIds : new Map() });
  const soundcard = inputs.backend.vm?.soundcard;
  return {
    ...(vm === undefined ? {} : { vm }),
    // The engine reads the sound card of a new pool from the pool, not its vm.
    ...(soundcard === undefined ? {} : { soundcard_enabled: soundcard }),
    name: inputs.name,
    type: inputs.type,
    stateful: inputs.stateful,
    auto_storage_select: inputs.backend.autoStorageSelect,
    cluster: { id: refs.clusterId },
    ...toOvirtPoolUpdateBody(inputs, refs),
  };
}

const link = z.object({ id: z.string() });

const poolSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  comment: z.string().optional(),
  size: z.number().int().optional(),
  prestarted_vms: z.number().int().optional(),
  max_user_vms: z.number().int().optional(),
  type: z.enum(["automatic", "manual"]).optional(),
  stateful: z.boolean().optional(),
  auto_storage_select: z.boolean().optional(),
  use_latest_template_version: z.boolean().optional(),
  display: z.object({ proxy: z.string().optional() }).optional(),
  cluster: link,
  template: link.optional(),
});

/** A pool as the engine reports it. */
export interface ObservedOvirtPool {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly comment: string;
  /** The number of VMs mapped to the pool now. */
  readonly size: number;
  readonly prestarted: number;
  readonly maxVmsPerUser: number;
  readonly type: "automatic" | "manual";
  readonly stateful: boolean;
  readonly autoStorageSelect: boolean;
  readonly useLatestTemplateVersion: boolean;
  readonly spiceProxy: string | undefined;
  readonly clusterId: string;
  /** The template of a representative VM; absent when the pool has none. */
  readonly templateId: string | undefined;
}

/** Reads a `vm_pool` object; throws naming the first unexpected field. */
export function fromOvirtPool(body: unknown): ObservedOvirtPool {
  const parsed = poolSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`unexpected vm_pool from the engine at '${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}`);
  }
  const p = parsed.data;
  return {
    id: p.id,
    name: p.name,
    description: p.description ?? "",
    comment: p.comment ?? "",
    size: p.size ?? 0,
    prestarted: p.prestarted_vms ?? 0,
    maxVmsPerUser: p.max_user_vms ?? 1,
    type: p.type ?? "automatic",
    stateful: p.stateful ?? false,
    autoStorageSelect: p.auto_storage_select ?? false,
    useLatestTemplateVersion: p.use_latest_template_version ?? false,
    spiceProxy: p.display?.proxy,
    clusterId: p.cluster.id,
    templateId: p.template?.id,
  };
}

const vmSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  delete_protected: z.boolean().optional(),
});

/** A pool VM as listed by `GET /vms?search=pool=<name>`. */
export interface ObservedOvirtVm {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly deleteProtected: boolean;
  /** The VM as the engine listed it, whose fields carry its settings (memory, placement, display, ...). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Reads a `GET /vms` collection; an empty collection is `{}`. */
export function fromOvirtVmList(body: unknown): ObservedOvirtVm[] {
  const list = (typeof body === "object" && body !== null ? (body as { vm?: unknown }).vm : undefined) ?? [];
  const raw = z.array(z.record(z.string(), z.unknown())).parse(list);
  return z
    .array(vmSchema)
    .parse(list)
    .map((vm, i) => ({ id: vm.id, name: vm.name, status: vm.status, deleteProtected: vm.delete_protected ?? false, fields: raw[i] ?? {} }))
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}

/**
 * The inputs describing a live pool, for `read`. The cluster and template
 * keep the spelling of the previous inputs (a name stays a name) when they
 * still resolve to the same objects.
 */
export function toInputsFromOvirtPool(observed: ObservedOvirtPool, previous: OvirtPoolInputs, refs: ResolvedRefs): OvirtPoolInputs {
  const { spiceProxy: _previousProxy, ...b } = previous.backend;
  return {
    ...COMMON_DEFAULTS,
    name: observed.name,
    description: observed.description,
    comment: observed.comment,
    size: observed.size,
    prestarted: observed.prestarted,
    maxVmsPerUser: observed.maxVmsPerUser,
    type: observed.type,
    stateful: observed.stateful,
    // Delete protection, timeouts and adoption are the provider's own settings; the engine holds none of them.
    deleteProtection: previous.deleteProtection,
    ...(previous.timeouts === undefined ? {} : { timeouts: previous.timeouts }),
    ...(previous.adopt === undefined ? {} : { adopt: previous.adopt }),
    // The placement names the cluster the pool was put in; the engine keeps no link to the TrustedCluster resource.
    ...(previous.trustedCluster === undefined ? {} : { trustedCluster: previous.trustedCluster }),
    backend: {
      ...b,
      cluster: observed.clusterId === refs.clusterId ? b.cluster : observed.clusterId,
      autoStorageSelect: observed.autoStorageSelect,
      ...(observed.spiceProxy === undefined ? {} : { spiceProxy: observed.spiceProxy }),
    },
  };
}
