/**
 * The programs the fault campaign deploys: up to three oVirt pools with a
 * few permissions each, changed at random between runs (grow, shrink,
 * description, prestarted VMs, VMs per user, pools and permissions added or
 * removed, a permission's principal or role changed, which replaces it).
 * The principals include those that hold inherited permissions on the
 * cluster and data center, so a permission on the pool and an inherited one
 * for the same grant meet.
 */
import type { DesiredResource } from "./deployment";
import type { Random } from "./random";

/** One pool as the program declares it. */
export interface PoolSpec {
  readonly name: string;
  readonly size: number;
  readonly description: string;
  readonly prestarted: number;
  readonly maxVmsPerUser: number;
}

/** One permission on a pool. */
export interface GrantSpec {
  /** The resource's name, stable across changes of its grant. */
  readonly key: string;
  readonly pool: string;
  readonly role: string;
  readonly user?: string;
  readonly group?: string;
}

/** A whole program. */
export interface ProgramSpec {
  readonly pools: readonly PoolSpec[];
  readonly grants: readonly GrantSpec[];
}

/** Pool names the campaign uses; every engine object named after them is the campaign's. */
export const POOL_NAMES = ["chaos-a", "chaos-b", "chaos-c"] as const;
/** The biggest pool the campaign declares. */
const MAX_SIZE = 6;
const DESCRIPTIONS = ["", "lab", "exam room", "room 12 desks"];
/** Grants the campaign declares: alice, bob and vdi-users also hold inherited permissions (see the campaign's seed). */
const GRANTS: readonly Pick<GrantSpec, "role" | "user" | "group">[] = [
  { role: "UserRole", user: "alice@internal-authz" },
  { role: "UserRole", user: "bob@internal-authz" },
  { role: "UserRole", group: "vdi-users" },
  { role: "VmPoolAdmin", user: "bob@internal-authz" },
];

/** The grants of permissions in state, as the program would declare them. */
export function grantsInState(entries: readonly { kind: string; urn: string; outputs: Record<string, unknown> }[]): GrantSpec[] {
  return entries
    .filter((e) => e.kind === "PoolPermission")
    .map((e) => {
      const { role, user, group, pool } = e.outputs as { role?: unknown; user?: unknown; group?: unknown; pool?: { name?: unknown } };
      return {
        key: e.urn,
        pool: String(pool?.name),
        role: String(role),
        ...(typeof user === "string" ? { user } : {}),
        ...(typeof group === "string" ? { group } : {}),
      };
    });
}

/** The program with nothing in it. */
export const EMPTY_PROGRAM: ProgramSpec = { pools: [], grants: [] };

const grantText = (g: Pick<GrantSpec, "role" | "user" | "group">): string => `${g.role}:${g.user ?? ""}:${g.group ?? ""}`;

/** The URN of a pool or permission of the program. */
export function toUrn(kind: "VmPool" | "PoolPermission", name: string): string {
  return `${kind}::${name}`;
}

/** The program as resources: each pool, then its permissions, whose `pool` comes from the pool's outputs. */
export function toDesiredResources(spec: ProgramSpec): DesiredResource[] {
  const pools: DesiredResource[] = spec.pools.map((p) => ({
    urn: toUrn("VmPool", p.name),
    kind: "VmPool",
    dependsOn: [],
    inputs: () => ({ name: p.name, size: p.size, description: p.description, prestarted: p.prestarted, maxVmsPerUser: p.maxVmsPerUser, backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop" } }),
  }));
  const grants: DesiredResource[] = spec.grants.map((g) => {
    const poolUrn = toUrn("VmPool", g.pool);
    return {
      urn: toUrn("PoolPermission", g.key),
      kind: "PoolPermission",
      dependsOn: [poolUrn],
      // As PoolPermission builds it from the VmPool's outputs.
      inputs: (outputs) => ({
        role: g.role,
        ...(g.user === undefined ? {} : { user: g.user }),
        ...(g.group === undefined ? {} : { group: g.group }),
        pool: { name: outputs(poolUrn)["name"], uid: outputs(poolUrn)["uid"] },
        backend: { kind: "ovirt" },
      }),
    };
  });
  return [...pools, ...grants];
}

function randomPool(rng: Random, name: string): PoolSpec {
  const size = rng.int(1, 4);
  return { name, size, description: rng.pick(DESCRIPTIONS), prestarted: rng.chance(0.3) ? 1 : 0, maxVmsPerUser: rng.int(1, 2) };
}

/**
 * Grants a new or changed permission on `pool` may take: none that the
 * pool has now, nor one it had when this change began. Moving a grant from
 * one resource to another in one run would create the new one while the
 * old one still exists, which the provider refuses by design (it never
 * takes over a permission it did not create); a user does that in two runs.
 */
function freeGrants(spec: ProgramSpec, original: ProgramSpec, inState: readonly GrantSpec[], pool: string): Pick<GrantSpec, "role" | "user" | "group">[] {
  const taken = new Set([...spec.grants, ...original.grants, ...inState].filter((g) => g.pool === pool).map(grantText));
  return GRANTS.filter((g) => !taken.has(grantText(g)));
}

/**
 * One to three random changes of `spec`. `nextKey` names new permissions.
 * Never two permissions with the same grant on one pool (the provider
 * refuses the second, by design), counting those still in state
 * (`inState`): a run that failed left the permissions it was to delete.
 */
export function mutateProgram(spec: ProgramSpec, rng: Random, nextKey: () => string, inState: readonly GrantSpec[] = []): ProgramSpec {
  let pools = [...spec.pools];
  let grants = [...spec.grants];
  const changes = rng.int(1, 3);
  for (let i = 0; i < changes; i++) {
    const current: ProgramSpec = { pools, grants };
    const missing = POOL_NAMES.filter((n) => !pools.some((p) => p.name === n));
    // 0 add a pool, 1 remove one, 2-4 resize, 5 description, 6 prestarted,
    // 7 VMs per user, 8-9 add a permission, 10 drop one, 11 change one.
    const roll = rng.int(0, 11);
    const target = pools.length === 0 ? undefined : rng.pick(pools);
    const replacePool = (next: PoolSpec): void => {
      pools = pools.map((p) => (p.name === next.name ? next : p));
    };
    if (target === undefined || (roll === 0 && missing.length > 0)) {
      const name = rng.pick(missing.length > 0 ? missing : POOL_NAMES);
      if (!pools.some((p) => p.name === name)) {
        pools.push(randomPool(rng, name));
      }
    } else if (roll === 1 && pools.length > 1) {
      pools = pools.filter((p) => p !== target);
      grants = grants.filter((g) => g.pool !== target.name);
    } else if (roll >= 2 && roll <= 4) {
      const size = Math.max(1, Math.min(MAX_SIZE, target.size + rng.pick([-2, -1, 1, 2])));
      replacePool({ ...target, size, prestarted: Math.min(target.prestarted, size) });
    } else if (roll === 5) {
      replacePool({ ...target, description: rng.pick(DESCRIPTIONS.filter((d) => d !== target.description)) });
    } else if (roll === 6) {
      replacePool({ ...target, prestarted: target.prestarted === 0 ? 1 : 0 });
    } else if (roll === 7) {
      replacePool({ ...target, maxVmsPerUser: target.maxVmsPerUser === 1 ? 2 : 1 });
    } else if (roll === 8 || roll === 9) {
      const free = freeGrants(current, spec, inState, target.name);
      if (free.length > 0) {
        grants.push({ key: nextKey(), pool: target.name, ...rng.pick(free) });
      }
    } else if (roll === 10 && grants.length > 0) {
      const dropped = rng.pick(grants);
      grants = grants.filter((g) => g !== dropped);
    } else if (grants.length > 0) {
      // Another principal or role under the same resource name: a replacement.
      const changed = rng.pick(grants);
      const free = freeGrants(current, spec, inState, changed.pool);
      if (free.length > 0) {
        const next = rng.pick(free);
        grants = grants.map((g) => (g === changed ? { key: g.key, pool: g.pool, ...next } : g));
      }
    }
  }
  return { pools, grants };
}
