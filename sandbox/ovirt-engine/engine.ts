/**
 * The emulated engine: the store, the clock and the background behaviour
 * every command shares (VM status transitions, the prestart monitor, jobs).
 * Commands live in `commands/`; HTTP lives in `server.ts`.
 */
import { randomUUID } from "node:crypto";

import type { EngineClock } from "./clock";
import { EngineStore, type EngineTimings, type Job, type User, type Vm, type VmStatus } from "./model";

/** The id of UserRole, which the engine grants on a pool VM to the user who takes it. */
const USER_ROLE_ID = "00000000-0000-0000-0001-000000000001";

/** Who is calling and with which correlation id. */
export interface CommandContext {
  /** The authenticated user. */
  user: User;
  /** Sanitized `Correlation-Id`, or a generated UUID. */
  correlationId: string;
}

/** VM statuses in which a VM counts as running for detach, delete and prestart. */
const RUNNING: ReadonlySet<VmStatus> = new Set(["up", "powering_up", "wait_for_launch", "paused", "migrating", "reboot_in_progress", "powering_down", "unknown", "not_responding", "saving_state", "restoring_state"]);

/** Whether a VM is running in the sense the engine's pool checks use. */
export function isRunning(vm: Vm): boolean {
  return RUNNING.has(vm.status);
}

/** The emulated engine's shared state and background work. */
export class Engine {
  readonly store = new EngineStore();
  private monitorStarted = false;

  constructor(
    readonly clock: EngineClock,
    readonly timings: EngineTimings,
  ) {}

  /** A new entity id. */
  newId(): string {
    return randomUUID();
  }

  /** Records a job for a command, finished or failed at once (commands here are synchronous). */
  recordJob(ctx: CommandContext, description: string, succeeded: boolean): Job {
    const now = this.clock.now();
    const job: Job = {
      id: this.newId(),
      description,
      status: succeeded ? "finished" : "failed",
      correlationId: ctx.correlationId,
      startTime: now,
      endTime: now,
      ownerId: ctx.user.id,
    };
    this.store.jobs.set(job.id, job);
    return job;
  }

  /**
   * Attaches a user to a pool VM, as `AttachUserToVmFromPoolAndRun` does:
   * the VM gets a direct UserRole permission for that user.
   */
  attachUser(vm: Vm, userId: string): void {
    if (!vm.userIds.includes(userId)) {
      vm.userIds.push(userId);
    }
    const exists = [...this.store.permissions.values()].some((p) => p.objectType === "vm" && p.objectId === vm.id && p.userId === userId && p.roleId === USER_ROLE_ID);
    if (!exists) {
      const id = this.newId();
      this.store.permissions.set(id, { id, roleId: USER_ROLE_ID, userId, groupId: undefined, objectType: "vm", objectId: vm.id });
    }
  }

  /** Detaches every user from a VM, removing their UserRole permissions on it. */
  detachUsers(vm: Vm): void {
    for (const [id, p] of this.store.permissions) {
      if (p.objectType === "vm" && p.objectId === vm.id && p.roleId === USER_ROLE_ID && p.userId !== undefined && vm.userIds.includes(p.userId)) {
        this.store.permissions.delete(id);
      }
    }
    vm.userIds = [];
  }

  /** Removes a pool row and every permission on it, as the database cascades. */
  forgetPool(poolId: string): void {
    this.store.pools.delete(poolId);
    for (const [id, p] of this.store.permissions) {
      if (p.objectType === "vm_pool" && p.objectId === poolId) {
        this.store.permissions.delete(id);
      }
    }
  }

  /** Removes a VM and every permission on it. */
  forgetVm(vm: Vm): void {
    this.store.vms.delete(vm.id);
    for (const [id, p] of this.store.permissions) {
      if (p.objectType === "vm" && p.objectId === vm.id) {
        this.store.permissions.delete(id);
      }
    }
  }

  /** A VM just created from a template: `image_locked` until its disks are ready, then `down`. */
  lockImagesThenDown(vm: Vm): void {
    vm.status = "image_locked";
    this.clock.schedule(this.timings.diskCreateMs, () => {
      if (this.store.vms.get(vm.id) === vm && vm.status === "image_locked") {
        vm.status = "down";
      }
    });
  }

  /** Starts a VM: `wait_for_launch` -> `powering_up` -> `up`. */
  startVm(vm: Vm): void {
    vm.status = "wait_for_launch";
    const half = this.timings.vmBootMs / 2;
    this.clock.schedule(half, () => {
      if (this.store.vms.get(vm.id) === vm && vm.status === "wait_for_launch") {
        vm.status = "powering_up";
        this.clock.schedule(half, () => {
          if (this.store.vms.get(vm.id) === vm && vm.status === "powering_up") {
            vm.status = "up";
          }
        });
      }
    });
  }

  /**
   * Stops a VM: `powering_down` -> `down`. In an automatic pool the engine
   * then detaches the user, and restores the stateless snapshot of a
   * stateless VM, a short `image_locked`; a manual pool keeps its user. A VM
   * of a pool being removed gets none of this (`ProcessDownVmCommand` skips
   * it), it just goes down.
   */
  stopVm(vm: Vm, then?: () => void): void {
    vm.status = "powering_down";
    this.clock.schedule(this.timings.vmStopMs, () => {
      if (this.store.vms.get(vm.id) !== vm) {
        return;
      }
      this.applyNextRun(vm);
      const pool = vm.poolId === undefined ? undefined : this.store.pools.get(vm.poolId);
      if (pool?.type === "automatic" && !pool.beingDestroyed) {
        this.detachUsers(vm);
      }
      if (pool?.type === "automatic" && !pool.beingDestroyed && vm.stateless) {
        vm.status = "image_locked";
        this.clock.schedule(this.timings.diskCreateMs, () => {
          if (this.store.vms.get(vm.id) === vm && vm.status === "image_locked") {
            vm.status = "down";
            then?.();
          }
        });
      } else {
        vm.status = "down";
        then?.();
      }
    });
  }

  /** A VM that went down takes its next-run configuration (the NEXT_RUN snapshot is applied). */
  applyNextRun(vm: Vm): void {
    if (vm.nextRun !== undefined) {
      vm.settings = vm.nextRun;
      vm.templateId = vm.nextRunTemplateId ?? vm.templateId;
      vm.nextRun = undefined;
      vm.nextRunTemplateId = undefined;
    }
  }

  /**
   * One prestart monitor cycle: in every pool not being removed, start free
   * down VMs until `prestarted_vms` free VMs are running, at most
   * `VmPoolMonitorBatchSize` per pool. The monitor ignores the pool type.
   */
  runPrestartMonitor(): void {
    for (const pool of this.store.pools.values()) {
      if (pool.beingDestroyed) {
        continue;
      }
      const vms = this.store.poolVms(pool.id);
      const free = vms.filter((vm) => vm.userIds.length === 0);
      const prestarted = free.filter((vm) => isRunning(vm)).length;
      const startable = free.filter((vm) => vm.status === "down");
      const wanted = Math.min(pool.prestartedVms - prestarted, this.store.config.VmPoolMonitorBatchSize, startable.length);
      for (const vm of startable.slice(0, Math.max(0, wanted))) {
        this.startVm(vm);
      }
    }
  }

  /** Starts the periodic prestart monitor (every `VmPoolMonitorIntervalInMinutes`). */
  startPrestartMonitor(): void {
    if (this.monitorStarted) {
      return;
    }
    this.monitorStarted = true;
    const tick = (): void => {
      this.runPrestartMonitor();
      this.clock.schedule(this.store.config.VmPoolMonitorIntervalInMinutes * 60_000, tick);
    };
    this.clock.schedule(this.store.config.VmPoolMonitorIntervalInMinutes * 60_000, tick);
  }

  /**
   * What a successful pool update does: trigger a monitor cycle now. Disks
   * of new VMs are still locked, so the cycle runs once they are down.
   */
  triggerPrestartMonitor(): void {
    this.clock.schedule(this.timings.diskCreateMs, () => {
      this.runPrestartMonitor();
    });
  }
}
