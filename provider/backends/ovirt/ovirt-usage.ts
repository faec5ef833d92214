/**
 * How a pool's VMs are used, read-only: who holds which VM, how many run,
 * wait prestarted or are taken, and which VMs a shrink may remove.
 */
import type { ErrorContext } from "../../errors";
import type { OvirtPoolInputs } from "../../schemas/vm-pool";
import type { OvirtClient } from "./client";
import { fromOvirtVmList, type ObservedOvirtPool, type ObservedOvirtVm } from "./mapping";

/** Statuses in which a VM counts as running (reference §3). */
const RUNNING_STATUSES: ReadonlySet<string> = new Set(["up", "powering_up", "wait_for_launch", "reboot_in_progress", "migrating", "paused", "powering_down", "saving_state", "restoring_state"]);

/**
 * The pool's VMs, by `search=pool=<name>`, in natural name order. With
 * `all_content`, as the engine renders `soundcard_enabled` only then.
 */
export async function listOvirtPoolVms(client: OvirtClient, ctx: ErrorContext, poolName: string): Promise<ObservedOvirtVm[]> {
  const answer = await client.call(ctx, "GET", "/vms", { query: { search: `pool=${poolName}`, all_content: "true" }, idempotent: true });
  return fromOvirtVmList(answer.body);
}

/**
 * What one look at a pool's VMs learned, so asking about many VMs does not
 * ask the same thing again: an inherited permission (the admin's on the
 * system, a group's on the cluster) shows up in every VM's listing but has
 * one real object, and one user may hold many VMs.
 */
export interface HolderLookups {
  /** Permission id -> the VM it is really on (undefined: not on a VM), and its user. */
  readonly permissions: Map<string, { vmId: string | undefined; userId: string | undefined }>;
  /** User id -> user name. */
  readonly users: Map<string, string>;
}

/** Empty lookups, for one operation. */
export function createHolderLookups(): HolderLookups {
  return { permissions: new Map(), users: new Map() };
}

/** Users holding a VM: those with a UserRole permission directly on it (listings also show inherited ones). */
export async function findOvirtVmHolders(client: OvirtClient, ctx: ErrorContext, vm: ObservedOvirtVm, lookups: HolderLookups = createHolderLookups()): Promise<string[]> {
  const answer = await client.call(ctx, "GET", `/vms/${vm.id}/permissions`, { idempotent: true });
  const listed = (answer.body as { permission?: { id: string; user?: { id: string } }[] } | undefined)?.permission ?? [];
  const users: string[] = [];
  for (const p of listed.filter((x) => x.user !== undefined)) {
    // The listing rewrites inherited permissions to this VM; the permission
    // itself names its real object.
    let real = lookups.permissions.get(p.id);
    if (real === undefined) {
      const body = (await client.call(ctx, "GET", `/vms/${vm.id}/permissions/${p.id}`, { idempotent: true })).body as { vm?: { id: string }; user?: { id: string } };
      real = { vmId: body.vm?.id, userId: body.user?.id };
      lookups.permissions.set(p.id, real);
    }
    if (real.vmId === vm.id && real.userId !== undefined) {
      let name = lookups.users.get(real.userId);
      if (name === undefined) {
        const user = (await client.call(ctx, "GET", `/users/${real.userId}`, { idempotent: true })).body as { user_name?: string };
        name = user.user_name ?? real.userId;
        lookups.users.set(real.userId, name);
      }
      users.push(name);
    }
  }
  return users;
}

/**
 * Running, prestarted (running and free) and taken VMs. A VM is taken when
 * a user holds it. In an automatic pool the engine detaches the user when
 * the VM goes down, so only running VMs can be taken and only they are
 * asked about; in a manual pool every VM is.
 */
export async function countOvirtPoolUsage(client: OvirtClient, ctx: ErrorContext, type: "automatic" | "manual", vms: readonly ObservedOvirtVm[]): Promise<{ running: number; prestarted: number; taken: number }> {
  const running = vms.filter((vm) => RUNNING_STATUSES.has(vm.status));
  let taken = 0;
  let takenRunning = 0;
  const lookups = createHolderLookups();
  for (const vm of type === "automatic" ? running : vms) {
    if ((await findOvirtVmHolders(client, ctx, vm, lookups)).length > 0) {
      taken++;
      takenRunning += RUNNING_STATUSES.has(vm.status) ? 1 : 0;
    }
  }
  return { running: running.length, prestarted: running.length - takenRunning, taken };
}

/**
 * Which VMs a shrink would remove, read-only: the newest VMs that are down
 * and held by no user. `refusal` says why it cannot be done safely (unless
 * forced).
 */
export async function planOvirtShrink(
  client: OvirtClient,
  ctx: ErrorContext,
  current: ObservedOvirtPool,
  inputs: OvirtPoolInputs,
): Promise<{ excess: number; free: ObservedOvirtVm[]; busy: { vm: ObservedOvirtVm; users: string[] }[]; refusal: string | undefined }> {
  const excess = current.size - inputs.size;
  const vms = [...(await listOvirtPoolVms(client, ctx, current.name))].reverse();
  const free: ObservedOvirtVm[] = [];
  const busy: { vm: ObservedOvirtVm; users: string[] }[] = [];
  const lookups = createHolderLookups();
  for (const vm of vms) {
    if (free.length === excess) {
      break;
    }
    const users = await findOvirtVmHolders(client, ctx, vm, lookups);
    if (vm.status === "down" && users.length === 0) {
      free.push(vm);
    } else {
      busy.push({ vm, users });
    }
  }
  const inUse = busy.map(({ vm, users }) => `${vm.name} (${vm.status}${users.length > 0 ? `, held by ${users.join(", ")}` : ""})`);
  const refusal =
    free.length < excess && !inputs.backend.forceShrink
      ? `cannot shrink from ${current.size} to ${inputs.size} VMs safely: only ${free.length} VM${free.length === 1 ? " is" : "s are"} down and free; in use: ${inUse.join("; ")}. Wait until users release them, or set 'backend.forceShrink: true' to stop and remove VMs in use`
      : undefined;
  return { excess, free, busy, refusal };
}
