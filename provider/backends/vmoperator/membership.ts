/**
 * Pure membership and prestart planning for VM-Operator pools. A VM belongs
 * to a pool when the pool's name is in its `spec.pools`; the provider adds
 * and removes only its own pool's name there, and starts (`spec.vm.state:
 * Running`) or stops VMs only as described in {@link planPrestart}.
 */

/** What the planner needs to know of one VM in the pool's namespace. */
export interface VmFacts {
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.labels`. */
  readonly labels: Readonly<Record<string, string>>;
  /** `spec.pools`. */
  readonly pools: readonly string[];
  /** `spec.vm.state`: `Running` or `Stopped`. */
  readonly state: string;
  /**
   * The user holding it, when one does: `status.assignment.user` (from any
   * pool), or `status.consoleUser` while the console is connected.
   */
  readonly heldBy?: string | undefined;
}

/** Which VMs should be members, and what changes to get there. */
export interface MembershipPlan {
  /** The members after the change, in the order chosen. */
  readonly members: string[];
  /** VMs that get the pool's name added to their `spec.pools`. */
  readonly add: string[];
  /** VMs that lose the pool's name from their `spec.pools`. */
  readonly remove: string[];
  /** Why the plan cannot be carried out (missing VMs, too few matches, held VMs to remove); empty when it can. */
  readonly problems: string[];
  /** What preview should say about the plan (e.g. which of more matching VMs are left out). */
  readonly notices: string[];
}

/** How the members are given: by name, or by label selector with a count. */
export type MemberSpec = { readonly vms: readonly string[] } | { readonly selector: Readonly<Record<string, string>>; readonly size: number };

/** Whether a VM's labels include every label of the selector. */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Chooses the members of pool `pool` from the VMs of its namespace. By name:
 * exactly those VMs, each of which must exist. By selector: `size` of the
 * matching VMs, the pool's current members first (those a user holds
 * before the others, so a shrink takes free ones out; a member never moves
 * out for a newcomer), then by name; fewer matches than `size` is a problem,
 * more leaves the rest out (a notice names them). Current members not
 * chosen are removed, unless a user holds one, which is a problem: taking a
 * held VM out of the pool would strand its user's assignment. Example:
 * members `[b]`, selector matches `a, b, c`, size 2 -> members `[b, a]`,
 * add `[a]`, notice that `c` is left out.
 */
export function planMembership(pool: string, spec: MemberSpec, vms: readonly VmFacts[]): MembershipPlan {
  const byVmName = new Map(vms.map((vm) => [vm.name, vm]));
  const current = vms.filter((vm) => vm.pools.includes(pool)).map((vm) => vm.name).sort(byName);
  const problems: string[] = [];
  const notices: string[] = [];
  let members: string[];
  if ("vms" in spec) {
    const missing = spec.vms.filter((name) => !byVmName.has(name));
    if (missing.length > 0) {
      problems.push(`VM${missing.length > 1 ? "s" : ""} ${missing.map((n) => `'${n}'`).join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in the pool's namespace`);
    }
    members = spec.vms.filter((name) => byVmName.has(name));
  } else {
    const matching = vms.filter((vm) => matchesSelector(vm.labels, spec.selector)).map((vm) => vm.name);
    // Held members first, so a shrink takes out free VMs before it would strand a user.
    const held = (name: string): boolean => byVmName.get(name)?.heldBy !== undefined;
    const currentFirst = matching.filter((n) => current.includes(n)).sort((a, b) => Number(held(b)) - Number(held(a)) || byName(a, b));
    const ordered = [...currentFirst, ...matching.filter((n) => !current.includes(n)).sort(byName)];
    if (ordered.length < spec.size) {
      problems.push(`the selector matches ${ordered.length} VM${ordered.length === 1 ? "" : "s"}${ordered.length > 0 ? ` (${ordered.map((n) => `'${n}'`).join(", ")})` : ""}, fewer than the size ${spec.size}; label more VMs or lower 'size'`);
    }
    members = ordered.slice(0, spec.size);
    const left = ordered.slice(spec.size);
    if (left.length > 0) {
      notices.push(`the selector matches ${ordered.length} VMs; ${left.map((n) => `'${n}'`).join(", ")} ${left.length > 1 ? "stay" : "stays"} out of the pool (size ${spec.size})`);
    }
  }
  const add = members.filter((name) => !current.includes(name));
  const remove = current.filter((name) => !members.includes(name));
  for (const name of remove) {
    const holder = byVmName.get(name)?.heldBy;
    if (holder !== undefined) {
      problems.push(`VM '${name}' would leave the pool while user '${holder}' holds it; wait until the assignment ends or keep it in the pool`);
    }
  }
  return { members, add, remove, problems, notices };
}

/** The VM state changes that keep `prestarted` members running. */
export interface PrestartPlan {
  /** Members to start (`spec.vm.state: Running`). */
  readonly start: string[];
  /** Members to stop (`spec.vm.state: Stopped`): only ones the provider started, that run, and that nobody holds. */
  readonly stop: string[];
  /** The members the provider has started and that still run, after the change: its record for the next plan. */
  readonly started: string[];
  /** What preview should say (e.g. too few free VMs to start, or running VMs kept because users hold them). */
  readonly notices: string[];
}

/**
 * Keeps at least `prestarted` members running. Members already running
 * count, whoever started them. When too few run, free stopped members are
 * started, by name; a member a user holds is never touched. When more run
 * than asked for, only members the provider itself started (`started`),
 * that nobody holds, are stopped, in reverse name order, never one it did
 * not start. Example: members a, b, c all stopped, prestarted 2 -> start
 * `[a, b]`.
 */
export function planPrestart(members: readonly VmFacts[], prestarted: number, started: readonly string[]): PrestartPlan {
  const running = members.filter((vm) => vm.state === "Running");
  const record = new Set(started.filter((name) => running.some((vm) => vm.name === name)));
  const notices: string[] = [];
  const start: string[] = [];
  const stop: string[] = [];
  if (running.length < prestarted) {
    const free = members.filter((vm) => vm.state !== "Running" && vm.heldBy === undefined).map((vm) => vm.name).sort(byName);
    start.push(...free.slice(0, prestarted - running.length));
    if (start.length < prestarted - running.length) {
      notices.push(`only ${running.length + start.length} of the ${prestarted} prestarted VMs can run: the other members are held by users`);
    }
    start.forEach((name) => record.add(name));
  } else if (running.length > prestarted) {
    const stoppable = running.filter((vm) => record.has(vm.name) && vm.heldBy === undefined).map((vm) => vm.name).sort(byName).reverse();
    stop.push(...stoppable.slice(0, running.length - prestarted));
    stop.forEach((name) => record.delete(name));
    if (stop.length > 0) {
      notices.push(`stops ${stop.map((n) => `'${n}'`).join(", ")} (started by this pool, held by nobody) to keep ${prestarted} prestarted`);
    }
  }
  return { start, stop, started: [...record].sort(byName), notices };
}
