/**
 * The control API, which the real engine does not have: seed data, inspect
 * state, set engine config, flip host attestation, let a user take a VM,
 * count requests, inject faults, overload the engine, expire tokens, move a
 * manual clock. Usable in-process and over HTTP under `/__sandbox/`.
 */
import type { Authenticator } from "./auth";
import { attestHosts } from "./commands/clusters";
import { takeVm } from "./commands/vms";
import { ManualClock } from "./clock";
import type { Engine } from "./engine";
import type { FaultInjector, FaultRule, RequestLog } from "./fault-injection";
import type { EngineConfig, Vm } from "./model";
import type { ConcurrencyGate, OverloadStats } from "./overload";
import { applySeed, type SeedData } from "./seed";

/** Path prefix of the control API over HTTP. */
export const CONTROL_PREFIX = "/__sandbox";

/** A summary of a pool for inspection. */
export interface PoolSummary {
  id: string;
  name: string;
  size: number;
  prestartedVms: number;
  beingDestroyed: boolean;
  vms: { id: string; name: string; status: string; users: string[] }[];
}

/** What tests and demos use to steer the sandbox. */
export class SandboxControl {
  constructor(
    readonly engine: Engine,
    private readonly auth: Authenticator,
    private readonly faults: FaultInjector,
    private readonly requests: RequestLog,
    private readonly gate: ConcurrencyGate,
  ) {}

  /** Adds seed data (JSON shape of {@link SeedData}). */
  seed(data: SeedData): void {
    applySeed(this.engine, data);
  }

  /** Sets engine-config values (`AttestationServer`, `MaxVmsInPool`, ...). */
  setConfig(values: Partial<EngineConfig>): EngineConfig {
    const known = Object.keys(this.engine.store.config);
    for (const key of Object.keys(values)) {
      if (!known.includes(key)) {
        throw new Error(`unknown engine config key '${key}'; known: ${known.join(", ")}`);
      }
    }
    Object.assign(this.engine.store.config, values);
    return { ...this.engine.store.config };
  }

  /** Sets what the attestation server says about a host, and re-attests its cluster. */
  setHostAttestation(hostIdOrName: string, result: "trusted" | "untrusted"): void {
    const host = [...this.engine.store.hosts.values()].find((h) => h.id === hostIdOrName || h.name === hostIdOrName);
    if (host === undefined) {
      throw new Error(`no host '${hostIdOrName}'`);
    }
    host.attestation = result;
    const cluster = this.engine.store.clusters.get(host.clusterId);
    if (cluster !== undefined) {
      attestHosts(this.engine, cluster);
    }
  }

  /**
   * A user takes a VM, as through the VM Portal: a named VM, or the first
   * free VM of a named pool. Returns the VM.
   */
  takeVm(target: { vm?: string; pool?: string }, userPrincipal: string): Vm {
    const { store } = this.engine;
    const user = [...store.users.values()].find((u) => u.principal === userPrincipal || u.id === userPrincipal);
    if (user === undefined) {
      throw new Error(`no user '${userPrincipal}'`);
    }
    let vm: Vm | undefined;
    if (target.vm !== undefined) {
      vm = [...store.vms.values()].find((v) => v.id === target.vm || v.name === target.vm);
    } else {
      const pool = [...store.pools.values()].find((p) => p.id === target.pool || p.name === target.pool);
      vm = pool === undefined ? undefined : store.poolVms(pool.id).find((v) => v.userIds.length === 0);
    }
    if (vm === undefined) {
      throw new Error(`no VM to take for ${JSON.stringify(target)}`);
    }
    takeVm(this.engine, vm, user);
    return vm;
  }

  /** Pools with their VMs, statuses and users. */
  pools(): PoolSummary[] {
    const { store } = this.engine;
    return [...store.pools.values()].map((p) => {
      const vms = store.poolVms(p.id);
      return {
        id: p.id,
        name: p.name,
        size: vms.length,
        prestartedVms: p.prestartedVms,
        beingDestroyed: p.beingDestroyed,
        vms: vms.map((vm) => ({ id: vm.id, name: vm.name, status: vm.status, users: vm.userIds.map((id) => store.users.get(id)?.principal ?? id) })),
      };
    });
  }

  /** Every entity, for inspection. */
  state(): Record<string, unknown> {
    const { store } = this.engine;
    return {
      config: store.config,
      dataCenters: [...store.dataCenters.values()],
      clusters: [...store.clusters.values()],
      hosts: [...store.hosts.values()],
      templates: [...store.templates.values()],
      storageDomains: [...store.storageDomains.values()],
      diskProfiles: [...store.diskProfiles.values()],
      pools: this.pools(),
      vms: [...store.vms.values()],
      users: [...store.users.values()].map(({ password: _password, ...u }) => u),
      groups: [...store.groups.values()],
      permissions: [...store.permissions.values()],
      jobs: [...store.jobs.values()],
    };
  }

  /** Requests per method and path so far. */
  requestCounts(): Record<string, number> {
    return this.requests.snapshot();
  }

  /** How many requests matched a method and a path pattern. */
  countRequests(method: string, path: RegExp): number {
    return this.requests.count(method, path);
  }

  /** Forgets the request counts. */
  resetRequestCounts(): void {
    this.requests.reset();
  }

  /** Adds a fault rule; returns its id. */
  addFault(rule: FaultRule): number {
    return this.faults.add(rule);
  }

  /** Removes one fault rule, or all. Throws for an id that is not in force. */
  clearFaults(id?: number): void {
    if (id !== undefined && !this.faults.has(id)) {
      throw new Error(`no fault rule ${id}`);
    }
    this.faults.clear(id);
  }

  /** The fault rules in force, with how often each fired. */
  listFaults(): (FaultRule & { id: number; hits: number })[] {
    return this.faults.list();
  }

  /**
   * Answer 503 to API and SSO requests arriving while `maxConcurrentRequests`
   * are in flight, as an overloaded engine does; undefined turns it off.
   * Returns the threshold and counters.
   */
  setOverload(maxConcurrentRequests: number | undefined): OverloadStats {
    this.gate.setLimit(maxConcurrentRequests);
    return this.gate.stats();
  }

  /** The overload threshold, requests in flight, their peak and the 503s answered for overload. */
  overload(): OverloadStats {
    return this.gate.stats();
  }

  /** Forgets the peak of requests in flight and the count of overload 503s. */
  resetOverloadStats(): void {
    this.gate.resetStats();
  }

  /**
   * Every SSO token issued so far (in-process only, never over HTTP): tests
   * check that no token a client used shows up in its output or state.
   */
  issuedTokens(): string[] {
    return this.auth.issuedTokens();
  }

  /** Makes every issued token expire now. */
  expireTokens(): void {
    this.auth.expireAll();
  }

  /** Advances a manual clock; throws when the sandbox runs on real time. */
  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new Error("ms must be a non-negative number of milliseconds");
    }
    if (!(this.engine.clock instanceof ManualClock)) {
      throw new Error("the sandbox runs on a system clock; start it with a ManualClock to step time");
    }
    this.engine.clock.advance(ms);
  }

  /** Runs one prestart monitor cycle now. */
  runPrestartMonitor(): void {
    this.engine.runPrestartMonitor();
  }

  /** Handles a control request over HTTP; returns status and JSON body. */
  handleHttp(method: string, path: string, body: unknown): { status: number; body: unknown } {
    const sub = path.slice(CONTROL_PREFIX.length);
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const str = (key: string): string => {
      const value = b[key];
      return typeof value === "string" ? value : "";
    };
    try {
      const routes: Record<string, (() => unknown) | undefined> = {
        "GET /state": () => this.state(),
        "GET /pools": () => this.pools(),
        "POST /seed": () => (this.seed(b), {}),
        "PUT /config": () => this.setConfig(b),
        "POST /attestation": () => {
          const result = str("result");
          if (result !== "trusted" && result !== "untrusted") {
            throw new Error('result must be "trusted" or "untrusted"');
          }
          this.setHostAttestation(str("host"), result);
          return {};
        },
        "POST /take-vm": () => {
          const vm = this.takeVm({ ...(b["vm"] === undefined ? {} : { vm: str("vm") }), ...(b["pool"] === undefined ? {} : { pool: str("pool") }) }, str("user"));
          return { id: vm.id, name: vm.name };
        },
        "GET /requests": () => this.requestCounts(),
        "DELETE /requests": () => (this.resetRequestCounts(), {}),
        "GET /faults": () => this.listFaults(),
        "POST /faults": () => ({ id: this.addFault(b as unknown as FaultRule) }),
        "DELETE /faults": () => (this.clearFaults(), {}),
        "GET /overload": () => this.overload(),
        "PUT /overload": () => {
          const limit = b["maxConcurrentRequests"];
          if (limit !== null && typeof limit !== "number") {
            throw new Error("maxConcurrentRequests must be a positive whole number, or null to turn the overload off");
          }
          return this.setOverload(limit ?? undefined);
        },
        "DELETE /overload": () => (this.resetOverloadStats(), this.overload()),
        "POST /expire-tokens": () => (this.expireTokens(), {}),
        "POST /clock/advance": () => (this.advanceClock(typeof b["ms"] === "number" ? b["ms"] : NaN), {}),
        "POST /prestart-monitor": () => (this.runPrestartMonitor(), {}),
      };
      const faultId = /^\/faults\/(\d+)$/.exec(sub)?.[1];
      if (method === "DELETE" && faultId !== undefined) {
        this.clearFaults(Number(faultId));
        return { status: 200, body: {} };
      }
      const handler = routes[`${method} ${sub}`];
      if (handler === undefined) {
        return { status: 404, body: { error: `no control route ${method} ${sub}`, routes: [...Object.keys(routes), "DELETE /faults/{id}"] } };
      }
      return { status: 200, body: handler() };
    } catch (err) {
      return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
    }
  }
}
