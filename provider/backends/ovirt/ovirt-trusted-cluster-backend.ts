/**
 * Trusted clusters on an oVirt engine: an engine cluster with the trusted
 * service on, through the REST API v4 (reference §4, §7).
 */
import { randomUUID } from "node:crypto";

import type { CheckFailure } from "../../check";
import { BackendError, ConfigurationError, NotFoundError, type ErrorContext } from "../../errors";
import type { TrustedClusterInputs } from "../../schemas/trusted-cluster";
import type { TrustedClusterBackend, TrustedClusterSnapshot, TrustedClusterState } from "../trusted-cluster-backend";
import type { OvirtClient } from "./client";
import {
  ATTESTATION_FIX,
  classifyClusterFault,
  fromOvirtCluster,
  isClusterAsRequested,
  toClusterHosts,
  toInputsFromOvirtCluster,
  toOvirtClusterCreateBody,
  toOvirtClusterUpdateBody,
  toOvirtPlacement,
  type ObservedOvirtCluster,
  type OvirtTrustedClusterInputs,
} from "./ovirt-cluster-mapping";
import { findOvirtClusterByName, listOvirtClusterHosts, listOvirtClusterPools, resolveOvirtDataCenter } from "./ovirt-cluster-lookups";

function toOvirtInputs(inputs: TrustedClusterInputs): OvirtTrustedClusterInputs {
  if (inputs.backend.kind !== "ovirt") {
    throw new Error(`the oVirt backend was given a '${inputs.backend.kind}' trusted cluster`);
  }
  return inputs as OvirtTrustedClusterInputs;
}

/** Trusted clusters as oVirt `cluster` entities with `trusted_service` on. */
export class OvirtTrustedClusterBackend implements TrustedClusterBackend {
  constructor(private readonly client: OvirtClient) {}

  private context(operation: string, name: string): ErrorContext {
    return { backend: "ovirt", operation, resource: `trusted cluster ${name}` };
  }

  /** The error for a name another cluster holds; the engine compares names case-insensitively. */
  private nameTaken(ctx: ErrorContext, existing: Pick<ObservedOvirtCluster, "id" | "name">, cause?: unknown): BackendError {
    return new BackendError(
      ctx,
      `a cluster named '${existing.name}' (id ${existing.id}) already exists on the engine, and cluster names are unique ignoring case; this provider does not take over clusters it did not create, so choose another 'name' or remove that cluster`,
      { status: 409, cause },
    );
  }

  /**
   * An engine refusal in words that say what to do: the attestation fix-it
   * for a missing attestation server; the engine's own text otherwise.
   */
  private translate(ctx: ErrorContext, err: unknown): unknown {
    if (!BackendError.isInstance(err)) {
      return err;
    }
    const refusals = classifyClusterFault(err.message);
    if (refusals.includes("attestation-not-configured")) {
      return new BackendError(ctx, ATTESTATION_FIX, { status: err.status ?? 400, cause: err });
    }
    if (refusals.includes("virt-needed-by-vms")) {
      return new BackendError(ctx, "the engine refuses to turn the virt service off while the cluster has VMs; a trusted cluster needs virt anyway, so keep 'backend.virtService: true'", { status: err.status ?? 409, cause: err });
    }
    return err;
  }

  private async snapshot(ctx: ErrorContext, observed: ObservedOvirtCluster, previous: OvirtTrustedClusterInputs): Promise<TrustedClusterSnapshot> {
    const hosts = await listOvirtClusterHosts(this.client, ctx, observed);
    const inputs = toInputsFromOvirtCluster(observed, previous);
    const state: TrustedClusterState = {
      ...inputs,
      // Trust turned off outside Pulumi: the state's backend then carries
      // `trustedService: false`, which no input has, so the next diff plans
      // an in-place update, and the update turns trust back on.
      ...(observed.trustedService ? {} : { backend: { ...inputs.backend, trustedService: false } as OvirtTrustedClusterInputs["backend"] }),
      uid: observed.id,
      ...toClusterHosts(hosts, observed.trustedService),
      placement: toOvirtPlacement(observed, previous.backend.connection),
    };
    return { id: observed.id, inputs, state };
  }

  /**
   * Read-only checks `check()` runs, so `preview` fails where `up` would:
   * the data center exists, and a new cluster's name is free. Returns
   * failures; throws only when the engine cannot be asked.
   */
  async verify(cluster: TrustedClusterInputs, previous: TrustedClusterInputs | undefined): Promise<CheckFailure[]> {
    const inputs = toOvirtInputs(cluster);
    const ctx = this.context("preview", inputs.name);
    const failures: CheckFailure[] = [];
    try {
      await resolveOvirtDataCenter(this.client, ctx, inputs.backend.dataCenter);
    } catch (err) {
      if (!(BackendError.isInstance(err) && err.status === 404)) {
        throw err;
      }
      failures.push({ property: "backend.dataCenter", reason: err.message });
    }
    // A cluster of the name is this resource's own unless the name (or the engine) is new.
    const isNew = previous === undefined || previous.name.toLowerCase() !== inputs.name.toLowerCase() || previous.backend.connection !== inputs.backend.connection;
    if (isNew) {
      const existing = await findOvirtClusterByName(this.client, ctx, inputs.name);
      if (existing !== undefined) {
        failures.push({ property: "name", reason: this.nameTaken(ctx, existing).message });
      }
    }
    return failures;
  }

  /**
   * Creates the cluster with the trusted service on. A name already taken
   * is refused before anything is sent. The engine records no job for a
   * cluster create (it is not a monitored action), so a create whose answer
   * is lost cannot be proven by its correlation id: the cluster is claimed
   * only when it did not exist a moment before and is exactly what was
   * asked for; otherwise the error names it and nothing is claimed.
   */
  async create(cluster: TrustedClusterInputs): Promise<TrustedClusterSnapshot> {
    const inputs = toOvirtInputs(cluster);
    const ctx = this.context("create", inputs.name);
    const dataCenter = await resolveOvirtDataCenter(this.client, ctx, inputs.backend.dataCenter);
    const before = await findOvirtClusterByName(this.client, ctx, inputs.name);
    if (before !== undefined) {
      throw this.nameTaken(ctx, before);
    }
    let created: ObservedOvirtCluster;
    try {
      const answer = await this.client.call(ctx, "POST", "/clusters", { body: toOvirtClusterCreateBody(inputs, dataCenter.id), correlationId: randomUUID(), idempotent: false });
      created = fromOvirtCluster(answer.body);
    } catch (err) {
      if (ConfigurationError.isInstance(err)) {
        // Refused login or TLS: nothing was sent.
        throw err;
      }
      const refusedOutright = BackendError.isInstance(err) && err.status !== undefined && err.status < 500 && !classifyClusterFault(err.message).includes("name-in-use");
      if (refusedOutright) {
        throw this.translate(ctx, err);
      }
      // The answer was lost, or the name was taken since we looked (perhaps
      // by a retry of this very request after a 5xx): claim only our request.
      const appeared = await findOvirtClusterByName(this.client, ctx, inputs.name);
      if (appeared === undefined) {
        throw err;
      }
      if (!isClusterAsRequested(appeared, inputs, dataCenter.id)) {
        throw this.nameTaken(ctx, appeared, err);
      }
      created = appeared;
    }
    return this.snapshot(ctx, created, inputs);
  }

  /** Reads the cluster and its hosts; undefined when it no longer exists. */
  async read(id: string, previous: TrustedClusterState): Promise<TrustedClusterSnapshot | undefined> {
    const inputs = toOvirtInputs(previous);
    const ctx = this.context("read", inputs.name);
    let observed: ObservedOvirtCluster;
    try {
      observed = fromOvirtCluster((await this.client.call(ctx, "GET", `/clusters/${id}`, { idempotent: true })).body);
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
    return this.snapshot(ctx, observed, inputs);
  }

  /** Changes description, comment, CPU type, compatibility version and services in place; trust stays on. */
  async update(id: string, _previous: TrustedClusterState, cluster: TrustedClusterInputs): Promise<TrustedClusterSnapshot> {
    const inputs = toOvirtInputs(cluster);
    const ctx = this.context("update", inputs.name);
    let observed: ObservedOvirtCluster;
    try {
      observed = fromOvirtCluster((await this.client.call(ctx, "PUT", `/clusters/${id}`, { body: toOvirtClusterUpdateBody(inputs), correlationId: randomUUID(), idempotent: true })).body);
    } catch (err) {
      throw this.translate(ctx, err);
    }
    return this.snapshot(ctx, observed, inputs);
  }

  /**
   * Deletes the cluster; not-found is success. A cluster that still holds
   * pools or hosts is refused before anything is sent, naming them; the
   * engine's own refusals (VMs, templates) are reported in its words.
   */
  async delete(id: string, previous: TrustedClusterState): Promise<void> {
    const inputs = toOvirtInputs(previous);
    const ctx = this.context("delete", inputs.name);
    let observed: ObservedOvirtCluster;
    try {
      observed = fromOvirtCluster((await this.client.call(ctx, "GET", `/clusters/${id}`, { idempotent: true })).body);
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return;
      }
      throw err;
    }
    const refusal = await this.removalRefusal(ctx, observed);
    if (refusal !== undefined) {
      throw refusal;
    }
    try {
      await this.client.call(ctx, "DELETE", `/clusters/${id}`, { correlationId: randomUUID(), idempotent: true });
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return;
      }
      // Pools or hosts added since the check, or what the check does not
      // look at (VMs, templates): the engine's 409 lists every reason.
      if (BackendError.isInstance(err) && err.status === 409) {
        const refusals = classifyClusterFault(err.message);
        const named = refusals.includes("has-pools") || refusals.includes("has-hosts") ? await this.removalRefusal(ctx, observed, err) : undefined;
        const engineText = err.message.slice(`${ctx.backend} ${ctx.operation} of ${ctx.resource} failed: `.length);
        throw named ?? new BackendError(ctx, `the engine refuses to remove cluster '${observed.name}' (${engineText}); remove or move what it names out of the cluster first and run this again. Nothing was changed`, { status: 409, cause: err });
      }
      throw err;
    }
  }

  /**
   * Why the cluster cannot be removed yet, naming its pools, else its hosts
   * (the engine refuses a cluster with either); undefined when neither.
   */
  private async removalRefusal(ctx: ErrorContext, observed: ObservedOvirtCluster, cause?: unknown): Promise<BackendError | undefined> {
    const pools = await listOvirtClusterPools(this.client, ctx, observed);
    if (pools.length > 0) {
      return new BackendError(
        ctx,
        `cluster '${observed.name}' still holds VM pool${pools.length === 1 ? "" : "s"} ${pools.map((p) => `'${p}'`).join(", ")}; the engine cannot remove a cluster with pools, and pools cannot move, so delete ${pools.length === 1 ? "that pool" : "those pools"} first (remove the VmPool resources placed in this cluster, or delete them on the engine) and run this again. Nothing was changed`,
        { status: 409, cause },
      );
    }
    const hosts = await listOvirtClusterHosts(this.client, ctx, observed);
    if (hosts.length > 0) {
      return new BackendError(
        ctx,
        `cluster '${observed.name}' still has host${hosts.length === 1 ? "" : "s"} ${hosts.map((h) => `'${h.name}'`).join(", ")}; the engine cannot remove a cluster with hosts, so put them in maintenance and move them to another cluster or remove them, then run this again. Nothing was changed`,
        { status: 409, cause },
      );
    }
    return undefined;
  }
}
