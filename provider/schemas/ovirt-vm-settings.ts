/**
 * The VM settings of oVirt's New Pool window (seed 001, "Explanation of
 * Settings and Controls in the New Pool and Edit Pool Windows"; seed 002 for
 * single VMs) as `backend.vm`: overrides of the template for every VM the
 * pool creates. Fields left out keep the template's value.
 *
 * What an edit reaches (reference §2.4, engine `BackendVmPoolResource`): the
 * engine takes these only when a pool is created; a `PUT /vmpools/{id}`
 * ignores them and a grow copies an existing pool VM. The provider therefore
 * writes them to each VM itself (`PUT /vms/{id}`), see `vmUpdatePolicy`.
 */
import { z } from "zod";

import { initialRunSchema } from "./ovirt-initial-run";

/** `inherit` (the cluster's migration policy decides), `on` or `off`. */
const inheritableSchema = z.enum(["inherit", "on", "off"], { error: "must be 'inherit', 'on' or 'off'" });

/** The Host tab: where the VMs start, how they migrate, CPU pass-through and NUMA. */
export const ovirtHostSettingsSchema = z.strictObject({
  /**
   * Start on any host of the cluster (`"any"`), or only on these hosts (by
   * name). @default the template's
   */
  startOn: z.union([z.literal("any"), z.array(z.string().min(1, "must name a host")).min(1, "must name at least one host, or be 'any'")]).optional(),
  /**
   * Migration mode: `automatic` (automatic and manual migration), `manual`
   * (manual only) or `none` (the VM is pinned to its host). @default the template's
   */
  migrationMode: z.enum(["automatic", "manual", "none"], { error: "must be 'automatic', 'manual' or 'none'" }).optional(),
  /** A custom migration policy, by id. @default the cluster's */
  migrationPolicy: z.string().min(1, "must be a migration policy id").optional(),
  /** Custom migration downtime, in milliseconds. @default the engine's */
  migrationDowntimeMs: z.number().int("must be a whole number of milliseconds").min(0, "must be 0 or more").optional(),
  /** Auto-converge migrations. @default "inherit" from the cluster */
  autoConverge: inheritableSchema.optional(),
  /** Compress migrations. @default "inherit" from the cluster */
  compression: inheritableSchema.optional(),
  /** Pass the host's CPU through to the VM; needs `migrationMode: "none"`. @default false */
  passThroughHostCpu: z.boolean().optional(),
  /** Number of virtual NUMA nodes. @default the template's */
  numaNodes: z.number().int("must be a whole number").min(0, "must be 0 or more").max(128, "must be at most 128").optional(),
  /** NUMA tune mode; `preferred` needs exactly one NUMA node. @default the template's */
  numaTuneMode: z.enum(["strict", "interleave", "preferred"], { error: "must be 'strict', 'interleave' or 'preferred'" }).optional(),
});

/** The Resource Allocation tab: storage, memory and CPU. */
export const ovirtResourceSettingsSchema = z.strictObject({
  /**
   * Target storage domain of the VMs' disks, by name or id: one that holds
   * the template's disks. Not with `backend.autoStorageSelect`. @default the engine picks one holding the template's disks
   */
  storageDomain: z.string().min(1, "must name a storage domain").optional(),
  /** Disk profile of the VMs' disks, by name; needs `storageDomain`. @default the template disks' profile */
  diskProfile: z.string().min(1, "must name a disk profile").optional(),
  /** Memory in MiB. @default the template's */
  memoryMiB: z.number().int("must be a whole number of MiB").min(1, "must be at least 1 MiB").optional(),
  /** Memory guaranteed to each VM, in MiB; at most `memoryMiB`. @default the template's */
  guaranteedMemoryMiB: z.number().int("must be a whole number of MiB").min(1, "must be at least 1 MiB").optional(),
  /** Most memory a VM may be given by hot plug, in MiB; at least `memoryMiB`. @default the template's */
  maxMemoryMiB: z.number().int("must be a whole number of MiB").min(1, "must be at least 1 MiB").optional(),
  /** Virtual CPU sockets. @default the template's */
  cpuSockets: z.number().int("must be a whole number").min(1, "must be at least 1").max(16, "must be at most 16").optional(),
  /** Cores per socket. @default the template's */
  cpuCores: z.number().int("must be a whole number").min(1, "must be at least 1").max(254, "must be at most 254").optional(),
});

/**
 * `backend.vm`: the VM settings of the New Pool window, as overrides of the
 * template for the pool's VMs.
 */
export const ovirtVmSettingsSchema = z.strictObject({
  /** Host placement, migration, CPU pass-through and NUMA. */
  host: ovirtHostSettingsSchema.optional(),
  /** Initial run: cloud-init (Linux) or sysprep (Windows). */
  initialRun: initialRunSchema.optional(),
  /** Storage, memory and CPU. */
  resources: ovirtResourceSettingsSchema.optional(),
  /** Restart the VMs on another host when theirs fails. @default the template's */
  highAvailability: z.boolean().optional(),
  /** Single sign-on through the guest agent. @default the template's */
  sso: z.boolean().optional(),
  /** Smartcard pass-through (SPICE). @default the template's */
  smartcard: z.boolean().optional(),
  /** A sound card. @default the template's */
  soundcard: z.boolean().optional(),
  /** USB redirection (SPICE). @default the template's */
  usb: z.boolean().optional(),
  /** Console protocol. @default the template's */
  console: z.enum(["spice", "vnc"], { error: "must be 'spice' or 'vnc'" }).optional(),
  /** Hardware clock time zone, e.g. `Etc/GMT` or `GMT Standard Time` (Windows). @default the template's */
  timeZone: z.string().min(1, "must name a time zone").optional(),
});

/**
 * What an edit of `backend.vm` does to VMs that exist:
 * - `newVmsOnly`: nothing; VMs created afterwards get the new settings, and
 *   `preview` names the VMs that keep the old ones.
 * - `updateFreeVms`: also writes the new settings to every existing VM that
 *   is down and held by no user, one at a time; a VM in use or running is
 *   never touched and is listed in `vmsWithOldSettings`. An initial-run
 *   change cannot be written to a stateless pool VM (the engine refuses,
 *   `ACTION_TYPE_CANNOT_CHANGE_INITIAL_RUN_DATA`), so such a VM is recreated:
 *   detached and removed, then the pool is grown back by one.
 */
export const vmUpdatePolicySchema = z.enum(["newVmsOnly", "updateFreeVms"], { error: "must be 'newVmsOnly' or 'updateFreeVms'" });

/** `backend.vm` after parsing. */
export type OvirtVmSettings = z.infer<typeof ovirtVmSettingsSchema>;
/** `backend.vmUpdatePolicy`. */
export type VmUpdatePolicy = z.infer<typeof vmUpdatePolicySchema>;
