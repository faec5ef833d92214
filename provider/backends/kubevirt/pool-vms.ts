/**
 * Pure reading of a pool's `VirtualMachine`s and their
 * `VirtualMachineInstance`s (`kubevirt.io/v1`) into the pool's outputs.
 *
 * KubeVirt's pool controller names each VM `<pool>-<index>`, copies the
 * template's labels onto it (plus `kubevirt.io/vm-pool-revision-name`), and
 * makes the pool its controller owner; a VM's instance (VMI) has the VM's
 * name and the VM as its controller owner (virt-controller `pool.go`).
 * The controller counts only VMs it controls, so the outputs do too.
 */
import { z } from "zod";

/** API group and version of VMs and VMIs. */
export const VM_GROUP = "kubevirt.io";
/** See {@link VM_GROUP}. */
export const VM_VERSION = "v1";

/** VMI phases after which nothing runs any more. */
const FINAL_VMI_PHASES: ReadonlySet<string> = new Set(["Succeeded", "Failed"]);
/** VM printable statuses that mean a guest runs or is on its way, when the VMIs cannot be read. */
const RUNNING_PRINTABLE_STATUSES: ReadonlySet<string> = new Set(["Starting", "Running", "Paused", "Migrating", "Stopping", "WaitingForReceiver"]);

const ownerSchema = z.object({ kind: z.string(), uid: z.string(), controller: z.boolean().optional() });
const conditionSchema = z.object({ type: z.string(), status: z.string() });

const vmSchema = z.object({
  metadata: z.object({
    name: z.string(),
    uid: z.string(),
    creationTimestamp: z.string().optional(),
    deletionTimestamp: z.string().optional(),
    ownerReferences: z.array(ownerSchema).optional(),
  }),
  status: z.object({ printableStatus: z.string().optional(), ready: z.boolean().optional(), conditions: z.array(conditionSchema).optional() }).optional(),
});

const vmiSchema = z.object({
  metadata: z.object({ name: z.string(), ownerReferences: z.array(ownerSchema).optional() }),
  status: z.object({ phase: z.string().optional(), nodeName: z.string().optional() }).optional(),
});

const listSchema = z.object({ items: z.array(z.unknown()) });

/** A VM as the API server reports it, reduced to what the pool's outputs use. */
export interface ObservedKubevirtVm {
  /** `<pool>-<index>`. */
  readonly name: string;
  /** `metadata.uid`. */
  readonly uid: string;
  /** The uid of its controller owner (the pool), if any. */
  readonly controllerUid: string | undefined;
  /** `metadata.creationTimestamp` (RFC 3339, second resolution), "" when absent. */
  readonly createdAt: string;
  /** Whether deletion has begun. */
  readonly deleting: boolean;
  /** `status.printableStatus`, undefined until virt-controller reports one. */
  readonly printableStatus: string | undefined;
  /** The Ready condition is True (what the pool's `readyReplicas` counts), or `status.ready`. */
  readonly ready: boolean;
}

/** A VMI, reduced to what the outputs use. */
export interface ObservedKubevirtVmi {
  /** The VM's name. */
  readonly name: string;
  /** The uid of its controller owner (the VM). */
  readonly controllerUid: string | undefined;
  /** `status.phase`: Pending, Scheduling, Scheduled, Running, Succeeded, Failed, Unknown. */
  readonly phase: string | undefined;
  /** `status.nodeName`. */
  readonly node: string | undefined;
}

function controllerOf(owners: readonly z.infer<typeof ownerSchema>[] | undefined): string | undefined {
  return owners?.find((o) => o.controller === true)?.uid;
}

function parseItems<T>(obj: unknown, schema: z.ZodType<T>, kind: string): T[] {
  const list = listSchema.safeParse(obj);
  if (!list.success) {
    throw new Error(`unexpected ${kind} list from the API server: no 'items'`);
  }
  return list.data.items.map((item, i) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`unexpected ${kind} from the API server at 'items.${String(i)}.${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
  });
}

/** Reads a `VirtualMachineList`. */
export function fromKubevirtVmList(obj: unknown): ObservedKubevirtVm[] {
  return parseItems(obj, vmSchema, "VirtualMachine").map(({ metadata, status }) => ({
    name: metadata.name,
    uid: metadata.uid,
    controllerUid: controllerOf(metadata.ownerReferences),
    createdAt: metadata.creationTimestamp ?? "",
    deleting: metadata.deletionTimestamp !== undefined,
    printableStatus: status?.printableStatus,
    ready: status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? status?.ready ?? false,
  }));
}

/** Reads a `VirtualMachineInstanceList`. */
export function fromKubevirtVmiList(obj: unknown): ObservedKubevirtVmi[] {
  return parseItems(obj, vmiSchema, "VirtualMachineInstance").map(({ metadata, status }) => ({
    name: metadata.name,
    controllerUid: controllerOf(metadata.ownerReferences),
    phase: status?.phase,
    node: status?.nodeName,
  }));
}

/** One VM of a pool, joined with its VMI. */
export interface KubevirtPoolVm {
  /** `<pool>-<index>`. */
  readonly name: string;
  /** `metadata.uid`. */
  readonly uid: string;
  /** The index KubeVirt's scale-in orders sort by: the text after the last `-`, 0 when not a number (as `indexFromName` does). */
  readonly index: number;
  /** Creation time, "" when unknown. */
  readonly createdAt: string;
  /** Whether deletion has begun (such VMs count toward a shrink). */
  readonly deleting: boolean;
  /** The printable status, `Unknown` until virt-controller reports one. */
  readonly status: string;
  /** Ready condition True. */
  readonly ready: boolean;
  /** Whether a guest runs or is starting: a VMI that has not finished (or, without VMIs, the printable status says so). */
  readonly running: boolean;
  /** The node its VMI is on. */
  readonly node: string | undefined;
}

/** `indexFromName` of virt-controller: the number after the last `-`, else 0. Example: `web-12` -> 12. */
export function toVmIndex(name: string): number {
  const last = name.slice(name.lastIndexOf("-") + 1);
  return /^\d+$/.test(last) ? Number(last) : 0;
}

/**
 * The VMs the pool controls (controller owner uid = the pool's), with their
 * VMIs, in index order. `vmis` undefined means they could not be read;
 * `running` then comes from the printable status.
 */
export function toKubevirtPoolVms(poolUid: string, vms: readonly ObservedKubevirtVm[], vmis: readonly ObservedKubevirtVmi[] | undefined): KubevirtPoolVm[] {
  const instances = new Map((vmis ?? []).map((vmi) => [vmi.name, vmi]));
  return vms
    .filter((vm) => vm.controllerUid === poolUid)
    .map((vm): KubevirtPoolVm => {
      const vmi = instances.get(vm.name);
      const own = vmi !== undefined && (vmi.controllerUid === undefined || vmi.controllerUid === vm.uid) ? vmi : undefined;
      const running = vmis === undefined ? RUNNING_PRINTABLE_STATUSES.has(vm.printableStatus ?? "") : own !== undefined && !FINAL_VMI_PHASES.has(own.phase ?? "");
      return {
        name: vm.name,
        uid: vm.uid,
        index: toVmIndex(vm.name),
        createdAt: vm.createdAt,
        deleting: vm.deleting,
        status: vm.printableStatus ?? "Unknown",
        ready: vm.ready,
        running,
        node: running ? own?.node : undefined,
      };
    })
    .sort((a, b) => a.index - b.index || a.name.localeCompare(b.name));
}

/** The `vms` output and the running count, as oVirt's outputs have them. */
export function toKubevirtVmOutputs(vms: readonly KubevirtPoolVm[]): { vms: { id: string; name: string; status: string; ready: boolean; node?: string }[]; runningVmCount: number } {
  return {
    vms: vms.map((vm) => ({ id: vm.uid, name: vm.name, status: vm.status, ready: vm.ready, ...(vm.node === undefined ? {} : { node: vm.node }) })),
    runningVmCount: vms.filter((vm) => vm.running).length,
  };
}

/** How a VM shows in a message: `web-3 (Running on node-a)`. */
export function describeKubevirtVm(vm: KubevirtPoolVm): string {
  return `${vm.name} (${vm.status}${vm.node === undefined ? "" : ` on ${vm.node}`})`;
}
