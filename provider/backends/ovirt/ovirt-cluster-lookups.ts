/**
 * Read-only lookups a trusted cluster needs on the engine: its data center
 * by name or id, a cluster by name, and the pools a cluster holds.
 */
import { z } from "zod";

import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import type { OvirtClient } from "./client";
import { fromOvirtClusterList, fromOvirtHostList, type ObservedOvirtCluster, type ObservedOvirtHost } from "./ovirt-cluster-mapping";
import { toSearchValue } from "./ovirt-permission-mapping";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const dataCenterList = z.object({ data_center: z.array(z.object({ id: z.string(), name: z.string() })).optional() });

/**
 * The data center a cluster goes in, by id or by exact name; a 404
 * `BackendError` naming the data centers there are when it does not exist.
 */
export async function resolveOvirtDataCenter(client: OvirtClient, ctx: ErrorContext, wanted: string): Promise<{ id: string; name: string }> {
  if (UUID.test(wanted)) {
    try {
      const dc = z.object({ id: z.string(), name: z.string() }).parse((await client.call(ctx, "GET", `/datacenters/${wanted}`, { idempotent: true })).body);
      return dc;
    } catch (err) {
      if (!NotFoundError.isInstance(err)) {
        throw err;
      }
    }
  } else {
    const answer = await client.call(ctx, "GET", "/datacenters", { query: { search: `name=${toSearchValue(wanted)}` }, idempotent: true });
    // The engine's search ignores case; a data center is named exactly.
    const found = (dataCenterList.parse(answer.body ?? {}).data_center ?? []).find((dc) => dc.name === wanted);
    if (found !== undefined) {
      return found;
    }
  }
  const all = dataCenterList.parse((await client.call(ctx, "GET", "/datacenters", { idempotent: true })).body ?? {}).data_center ?? [];
  throw new BackendError(ctx, `data center '${wanted}' does not exist on the engine; it has ${all.map((dc) => `'${dc.name}'`).join(", ") || "none"}. Fix 'backend.dataCenter' (a name or an id)`, { status: 404 });
}

/** The cluster whose name equals `name` ignoring case (the engine's uniqueness rule), if any. */
export async function findOvirtClusterByName(client: OvirtClient, ctx: ErrorContext, name: string): Promise<ObservedOvirtCluster | undefined> {
  const answer = await client.call(ctx, "GET", "/clusters", { query: { search: `name=${toSearchValue(name)}` }, idempotent: true });
  return fromOvirtClusterList(answer.body).find((c) => c.name.toLowerCase() === name.toLowerCase());
}

const poolList = z.object({ vm_pool: z.array(z.object({ name: z.string(), cluster: z.object({ id: z.string() }).optional() })).optional() });

/** Names of the pools in a cluster, by `search=cluster=<name>`, kept by the cluster's id. */
export async function listOvirtClusterPools(client: OvirtClient, ctx: ErrorContext, cluster: Pick<ObservedOvirtCluster, "id" | "name">): Promise<string[]> {
  const answer = await client.call(ctx, "GET", "/vmpools", { query: { search: `cluster=${toSearchValue(cluster.name)}` }, idempotent: true });
  return (poolList.parse(answer.body ?? {}).vm_pool ?? [])
    .filter((p) => p.cluster?.id === cluster.id)
    .map((p) => p.name)
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** The hosts of a cluster, by `search=cluster=<name>`, kept by the cluster's id, in natural name order. */
export async function listOvirtClusterHosts(client: OvirtClient, ctx: ErrorContext, cluster: Pick<ObservedOvirtCluster, "id" | "name">): Promise<ObservedOvirtHost[]> {
  const answer = await client.call(ctx, "GET", "/hosts", { query: { search: `cluster=${toSearchValue(cluster.name)}` }, idempotent: true });
  // The search matches names ignoring case; the id is exact.
  return fromOvirtHostList(answer.body).filter((h) => h.clusterId === cluster.id);
}
