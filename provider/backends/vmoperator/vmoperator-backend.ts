/**
 * Pools as VM-Operator `VmPool` objects (`vmoperator.jdrupes.org/v1`) whose
 * members are existing `VirtualMachine`s that list the pool in `spec.pools`.
 * The provider owns the pool's `retention` and `loginOnAssignment`, its own
 * pool name in each member's `spec.pools`, and the `spec.vm.state` of the
 * members it started for `prestarted`; nothing else. Every write reads the
 * object, changes only those fields and writes it back guarded by its
 * `resourceVersion`, read again on a 409, so the operator's, other pools'
 * and `PoolPermission`s' changes made in between survive.
 */
import { setTimeout as sleep } from "node:timers/promises";

import type { CheckFailure } from "../../check";
import { BackendError, NotFoundError, PoolInitError, type ErrorContext } from "../../errors";
import type { VmPoolInputs, VmoperatorPoolInputs } from "../../schemas/vm-pool";
import type { PoolSnapshot, VmPoolBackend, VmPoolState } from "../backend";
import { VMOPERATOR_API_VERSION, VMPOOL_PLURAL, VM_PLURAL, VmoperatorClient, type KubeObject } from "./client";
import { fromVmoperatorPool, toVmFacts, toVmoperatorPoolManifest, withVmChange } from "./mapping";
import { planMembership, planPrestart, type MemberSpec, type VmFacts } from "./membership";

/**
 * Attempts of one read-modify-write that keeps losing races with other
 * writers. Each round of conflicting writers lets at least one through, so
 * this many writers at once always finish.
 */
export const WRITE_ATTEMPTS = 8;

/** Splits a `<namespace>/<name>` id; throws on anything else. */
export function parseVmoperatorPoolId(id: string): { namespace: string; name: string } {
  const [namespace, name, ...rest] = id.split("/");
  if (namespace === undefined || name === undefined || namespace === "" || name === "" || rest.length > 0) {
    throw new Error(`'${id}' is not a VM-Operator pool id; expected '<namespace>/<name>'`);
  }
  return { namespace, name };
}

/** Narrows inputs to a VM-Operator pool; the registry only routes those here. */
function toVmoperatorInputs(inputs: VmPoolInputs): VmoperatorPoolInputs {
  if (inputs.backend.kind !== "vmoperator") {
    throw new Error(`the VM-Operator backend was given a '${inputs.backend.kind}' pool`);
  }
  return inputs as VmoperatorPoolInputs;
}

function memberSpec(inputs: VmoperatorPoolInputs): MemberSpec {
  return inputs.backend.vms !== undefined ? { vms: inputs.backend.vms } : { selector: inputs.backend.selector?.matchLabels ?? {}, size: inputs.size };
}

/**
 * Reads `name`, applies `edit` and writes it back guarded by its
 * `resourceVersion`; on a 409 reads again and retries. `edit` returns
 * undefined when nothing needs to change.
 */
export async function editObject(client: VmoperatorClient, ctx: ErrorContext, plural: typeof VMPOOL_PLURAL | typeof VM_PLURAL, namespace: string, name: string, edit: (obj: KubeObject) => KubeObject | undefined): Promise<KubeObject> {
  for (let attempt = 1; ; attempt++) {
    const current = await client.get(ctx, plural, namespace, name);
    const next = edit(current);
    if (next === undefined) {
      return current;
    }
    try {
      return await client.replace(ctx, plural, namespace, name, next);
    } catch (err) {
      if (!(BackendError.isInstance(err) && err.status === 409) || attempt >= WRITE_ATTEMPTS) {
        throw err;
      }
      // A short random pause, so writers that collided do not collide again at once.
      await sleep(Math.floor(Math.random() * 50 * attempt));
    }
  }
}

/** The input fields of stored state (which also holds outputs), so refresh returns inputs only. */
function pickInputs(stored: VmoperatorPoolInputs): VmoperatorPoolInputs {
  const { name, description, comment, size, prestarted, maxVmsPerUser, type, stateful, deleteProtection, timeouts, adopt, trustedCluster, backend } = stored;
  return { name, description, comment, size, prestarted, maxVmsPerUser, type, stateful, deleteProtection, backend, ...(timeouts === undefined ? {} : { timeouts }), ...(adopt === undefined ? {} : { adopt }), ...(trustedCluster === undefined ? {} : { trustedCluster }) };
}

/** The VM-Operator pool backend. */
export class VmoperatorBackend implements VmPoolBackend {
  constructor(private readonly client: VmoperatorClient) {}

  private context(operation: string, resource: string): ErrorContext {
    return { backend: "vmoperator", operation, resource };
  }

  private async vmFacts(ctx: ErrorContext, namespace: string): Promise<VmFacts[]> {
    return (await this.client.list(ctx, VM_PLURAL, namespace)).map(toVmFacts);
  }

  /**
   * Read-only checks for `check()`: the namespace exists, the pool's name is
   * free (on create, unless `adopt`), the members can be chosen (named VMs
   * exist, the selector matches enough, no held VM would leave); which VMs
   * join, leave, start or stop goes to `notice`.
   */
  async verify(pool: VmPoolInputs, previousPool?: VmPoolInputs, notice: (message: string) => void = () => undefined): Promise<CheckFailure[]> {
    const inputs = toVmoperatorInputs(pool);
    const { namespace } = inputs.backend;
    const id = `${namespace}/${inputs.name}`;
    const ctx = this.context("preview", id);
    if ((await this.client.namespaceExists(ctx, namespace)) === false) {
      return [{ property: "backend.namespace", reason: `namespace '${namespace}' does not exist on the cluster; create it first or fix 'backend.namespace'` }];
    }
    const samePool = previousPool?.backend.kind === "vmoperator" && previousPool.name === inputs.name && previousPool.backend.namespace === namespace;
    if (!samePool && inputs.adopt !== true && (await this.client.find(ctx, VMPOOL_PLURAL, namespace, inputs.name)) !== undefined) {
      return [{ property: "name", reason: `a VmPool '${inputs.name}' already exists in namespace '${namespace}'; choose another name, or set 'adopt: true' to take it over` }];
    }
    const vms = await this.vmFacts(ctx, namespace);
    const plan = planMembership(inputs.name, memberSpec(inputs), vms);
    if (plan.problems.length > 0) {
      return plan.problems.map((reason) => ({ property: inputs.backend.vms !== undefined ? "backend.vms" : "backend.selector", reason }));
    }
    const prestart = planPrestart(
      vms.filter((vm) => plan.members.includes(vm.name)),
      inputs.prestarted,
      [],
    );
    const said = [
      ...plan.notices,
      ...(plan.add.length > 0 ? [`adds ${plan.add.map((n) => `'${n}'`).join(", ")} to the pool`] : []),
      ...(plan.remove.length > 0 ? [`takes ${plan.remove.map((n) => `'${n}'`).join(", ")} out of the pool (the VMs stay, as they are)`] : []),
      ...(prestart.start.length > 0 ? [`starts ${prestart.start.map((n) => `'${n}'`).join(", ")} for prestarted ${inputs.prestarted}`] : []),
      ...prestart.notices,
      // Which members up stops depends on its record of the VMs it started, which only state holds.
      ...(samePool && previousPool.prestarted > inputs.prestarted
        ? [`lowers prestarted from ${previousPool.prestarted} to ${inputs.prestarted}: up stops at most ${previousPool.prestarted - inputs.prestarted} running member(s) that this pool started and nobody holds; VMs others started or users hold keep running`]
        : []),
    ];
    said.forEach((message) => {
      notice(`VmPool ${id}: ${message}`);
    });
    return [];
  }

  async create(pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toVmoperatorInputs(pool);
    const { namespace } = inputs.backend;
    const id = `${namespace}/${inputs.name}`;
    const ctx = this.context("create", id);
    // Judge membership before anything exists, so a refusal leaves nothing behind.
    const plan = planMembership(inputs.name, memberSpec(inputs), await this.vmFacts(ctx, namespace));
    if (plan.problems.length > 0) {
      throw new BackendError(ctx, plan.problems.join("; "), { status: 422 });
    }
    const existing = await this.client.find(ctx, VMPOOL_PLURAL, namespace, inputs.name);
    if (existing !== undefined && inputs.adopt !== true) {
      throw new BackendError(ctx, `a VmPool '${inputs.name}' already exists in namespace '${namespace}'; set 'adopt: true' to take it over`, { status: 409 });
    }
    const created = existing ?? (await this.client.create(ctx, VMPOOL_PLURAL, namespace, toVmoperatorPoolManifest(namespace, inputs.name, inputs.backend)));
    try {
      if (existing !== undefined) {
        // An adopted pool is brought to the declared settings; its permission entries stay.
        await this.writeSettings(ctx, namespace, inputs, existing.metadata?.uid ?? "");
      }
      return await this.converge(ctx, id, inputs, created.metadata?.uid ?? "", []);
    } catch (err) {
      // The pool exists: Pulumi must record it, and the next `up` carries on.
      throw new PoolInitError(id, { ...inputs, uid: created.metadata?.uid ?? "", apiVersion: VMOPERATOR_API_VERSION, vmCount: 0, readyVmCount: 0 }, [err instanceof Error ? err.message : String(err)]);
    }
  }

  async read(id: string, previous: VmPoolState): Promise<PoolSnapshot | undefined> {
    const prev = toVmoperatorInputs(previous);
    const { namespace, name } = parseVmoperatorPoolId(id);
    const ctx = this.context("read", id);
    const found = await this.client.find(ctx, VMPOOL_PLURAL, namespace, name);
    if (found === undefined || (previous.uid !== "" && found.metadata?.uid !== previous.uid)) {
      return undefined;
    }
    return this.snapshot(ctx, id, prev, found, previous.startedVms ?? []);
  }

  async update(id: string, previous: VmPoolState, pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toVmoperatorInputs(pool);
    const { namespace } = parseVmoperatorPoolId(id);
    const ctx = this.context("update", id);
    const plan = planMembership(inputs.name, memberSpec(inputs), await this.vmFacts(ctx, namespace));
    if (plan.problems.length > 0) {
      throw new BackendError(ctx, plan.problems.join("; "), { status: 422 });
    }
    await this.writeSettings(ctx, namespace, inputs, previous.uid);
    return this.converge(ctx, id, inputs, previous.uid, previous.startedVms ?? []);
  }

  /** Writes `retention` and `loginOnAssignment` into the pool incarnation `uid`, leaving everything else (the permission list above all) as read. */
  private async writeSettings(ctx: ErrorContext, namespace: string, inputs: VmoperatorPoolInputs, uid: string): Promise<void> {
    await editObject(this.client, ctx, VMPOOL_PLURAL, namespace, inputs.name, (obj) => {
      if (obj.metadata?.uid !== uid) {
        throw new NotFoundError(ctx, `the VmPool '${inputs.name}' was deleted (another object of that name exists now); refresh, then up to create it again`);
      }
      const live = fromVmoperatorPool(obj);
      if (live.retention === inputs.backend.retention && live.loginOnAssignment === inputs.backend.loginOnAssignment) {
        return undefined;
      }
      const spec = typeof obj["spec"] === "object" && obj["spec"] !== null ? obj["spec"] : {};
      return { ...obj, spec: { ...spec, retention: inputs.backend.retention, loginOnAssignment: inputs.backend.loginOnAssignment } };
    });
  }

  /**
   * Takes the pool's name out of every VM that lists it (never deleting or
   * stopping one), then deletes the VmPool itself, only the incarnation this
   * resource made.
   */
  async delete(id: string, previous: VmPoolState): Promise<void> {
    const { namespace, name } = parseVmoperatorPoolId(id);
    const ctx = this.context("delete", id);
    const found = await this.client.find(ctx, VMPOOL_PLURAL, namespace, name);
    if (found === undefined || found.metadata?.uid !== previous.uid) {
      return;
    }
    for (const vm of await this.vmFacts(ctx, namespace)) {
      if (vm.pools.includes(name)) {
        await this.editVm(ctx, namespace, vm.name, { removePool: name });
      }
    }
    await this.client.delete(ctx, VMPOOL_PLURAL, namespace, name, previous.uid);
  }

  private async editVm(ctx: ErrorContext, namespace: string, vm: string, change: Parameters<typeof withVmChange>[1]): Promise<void> {
    try {
      await editObject(this.client, ctx, VM_PLURAL, namespace, vm, (obj) => {
        const facts = toVmFacts(obj);
        const needed =
          (change.addPool !== undefined && !facts.pools.includes(change.addPool)) ||
          (change.removePool !== undefined && facts.pools.includes(change.removePool)) ||
          (change.state !== undefined && facts.state !== change.state);
        return needed ? withVmChange(obj, change) : undefined;
      });
    } catch (err) {
      // A VM deleted meanwhile needs no membership change.
      if (!NotFoundError.isInstance(err)) {
        throw err;
      }
    }
  }

  /** Brings membership and prestarted VMs to the inputs, then reads the result. */
  private async converge(ctx: ErrorContext, id: string, inputs: VmoperatorPoolInputs, uid: string, started: readonly string[]): Promise<PoolSnapshot> {
    const { namespace } = inputs.backend;
    const plan = planMembership(inputs.name, memberSpec(inputs), await this.vmFacts(ctx, namespace));
    if (plan.problems.length > 0) {
      throw new BackendError(ctx, plan.problems.join("; "), { status: 422 });
    }
    for (const vm of plan.add) {
      await this.editVm(ctx, namespace, vm, { addPool: inputs.name });
    }
    for (const vm of plan.remove) {
      await this.editVm(ctx, namespace, vm, { removePool: inputs.name });
    }
    const members = (await this.vmFacts(ctx, namespace)).filter((vm) => plan.members.includes(vm.name));
    const prestart = planPrestart(members, inputs.prestarted, started);
    for (const vm of prestart.start) {
      await this.editVm(ctx, namespace, vm, { state: "Running" });
    }
    for (const vm of prestart.stop) {
      // Held meanwhile? planPrestart saw it free; a user who took it since keeps it.
      await editObject(this.client, ctx, VM_PLURAL, namespace, vm, (obj) => (toVmFacts(obj).heldBy === undefined && toVmFacts(obj).state === "Running" ? withVmChange(obj, { state: "Stopped" }) : undefined));
    }
    const pool = await this.client.get(ctx, VMPOOL_PLURAL, namespace, inputs.name);
    const snapshot = await this.snapshot(ctx, id, inputs, pool, prestart.started);
    // What was asked for is what is stored: prestarted may read lower while VMs start.
    return { ...snapshot, state: { ...snapshot.state, ...inputs, uid: uid === "" ? snapshot.state.uid : uid } };
  }

  /** The pool as it is now: settings from the VmPool, members from the VMs' `spec.pools`. */
  private async snapshot(ctx: ErrorContext, id: string, previous: VmoperatorPoolInputs, pool: KubeObject, started: readonly string[]): Promise<PoolSnapshot> {
    const { namespace, name } = parseVmoperatorPoolId(id);
    const observed = fromVmoperatorPool(pool);
    const vms = await this.client.list(ctx, VM_PLURAL, namespace);
    const memberObjects = vms.filter((vm) => toVmFacts(vm).pools.includes(name));
    const members = memberObjects.map(toVmFacts);
    const given = previous.backend.vms ?? [];
    const memberNames = [...given.filter((n) => members.some((m) => m.name === n)), ...members.map((m) => m.name).filter((n) => !given.includes(n)).sort()];
    const running = members.filter((m) => m.state === "Running");
    const stillStarted = started.filter((n) => running.some((m) => m.name === n));
    const inputs: VmoperatorPoolInputs = {
      ...pickInputs(previous),
      name,
      size: memberNames.length,
      prestarted: Math.min(previous.prestarted, running.length),
      backend: {
        ...previous.backend,
        namespace,
        retention: observed.retention,
        loginOnAssignment: observed.loginOnAssignment,
        ...(previous.backend.vms !== undefined ? { vms: memberNames } : {}),
      },
    };
    const state: VmPoolState = {
      ...inputs,
      uid: observed.uid,
      apiVersion: VMOPERATOR_API_VERSION,
      vmCount: members.length,
      readyVmCount: running.length,
      vms: memberNames.map((n) => {
        const vm = memberObjects.find((o) => o.metadata?.name === n);
        const facts = members.find((m) => m.name === n);
        return { id: vm?.metadata?.uid ?? "", name: n, status: facts?.state ?? "Stopped" };
      }),
      members: memberNames,
      startedVms: stillStarted,
      runningVmCount: running.length,
      takenVmCount: members.filter((m) => m.heldBy !== undefined).length,
      prestartedVmCount: running.filter((m) => m.heldBy === undefined).length,
    };
    return { id, state, inputs };
  }
}
