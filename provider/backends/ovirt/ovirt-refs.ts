/**
 * Resolving a pool's cluster and template, given by name or id, to the
 * engine's ids: read-only, used by create and by the preview checks.
 */
import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import { calculateOvirtPoolCluster, type OvirtPoolInputs } from "../../schemas/vm-pool";
import type { OvirtClient } from "./client";
import type { ResolvedRefs } from "./mapping";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TemplateJson {
  id: string;
  name: string;
  version?: { version_number?: number; base_template?: { id: string } };
}

/** The id of the inputs' cluster; a 404 `BackendError` naming the clusters there are when it does not exist. */
export async function resolveOvirtCluster(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs): Promise<string> {
  const wanted = calculateOvirtPoolCluster(inputs);
  const clusters = ((await client.call(ctx, "GET", "/clusters", { idempotent: true })).body as { cluster?: { id: string; name: string }[] } | undefined)?.cluster ?? [];
  const cluster = clusters.find((c) => c.id === wanted || c.name === wanted);
  if (cluster === undefined) {
    throw new BackendError(ctx, `cluster '${wanted}' does not exist on the engine; it has ${clusters.map((c) => `'${c.name}'`).join(", ") || "no clusters"}`, { status: 404 });
  }
  return cluster.id;
}

/**
 * The cluster id and the template id: the version asked for, else the base
 * version (with `latest`, the engine itself follows the newest version).
 */
export async function resolveOvirtRefs(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs): Promise<ResolvedRefs> {
  const b = inputs.backend;
  const clusterId = await resolveOvirtCluster(client, ctx, inputs);
  let templates: TemplateJson[];
  if (UUID.test(b.template)) {
    try {
      templates = [(await client.call(ctx, "GET", `/templates/${b.template}`, { idempotent: true })).body as TemplateJson];
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        throw new BackendError(ctx, `template '${b.template}' does not exist on the engine`, { status: 404 });
      }
      throw err;
    }
  } else {
    const answer = await client.call(ctx, "GET", "/templates", { query: { search: `name=${b.template}` }, idempotent: true });
    // The engine's search is case-insensitive: keep exact names only.
    templates = ((answer.body as { template?: TemplateJson[] } | undefined)?.template ?? []).filter((t) => t.name === b.template);
  }
  if (templates.length === 0) {
    throw new BackendError(ctx, `template '${b.template}' does not exist on the engine; create it or fix 'backend.template'`, { status: 404 });
  }
  const version = b.templateVersion;
  const chosen =
    typeof version === "number"
      ? templates.find((t) => t.version?.version_number === version)
      : (templates.find((t) => t.version?.base_template?.id === t.id) ?? templates[0]);
  if (chosen === undefined) {
    const versions = templates.map((t) => t.version?.version_number).filter((v) => v !== undefined);
    throw new BackendError(ctx, `template '${b.template}' has no version ${String(version)}; it has ${versions.join(", ")}`, { status: 404 });
  }
  return { clusterId, templateId: chosen.id };
}

/**
 * Why a pool placed in a trusted cluster must not go where its cluster
 * resolves, or undefined when it may: the cluster must be the trusted
 * cluster's very incarnation (its id), with the trusted service on, so a
 * pool never lands in an untrusted cluster. Read-only.
 */
export async function verifyOvirtTrustedPlacement(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs, clusterId: string): Promise<string | undefined> {
  const placement = inputs.trustedCluster;
  if (placement?.kind !== "ovirt") {
    return undefined;
  }
  const cluster = (await client.call(ctx, "GET", `/clusters/${clusterId}`, { idempotent: true })).body as { name?: string; trusted_service?: boolean } | undefined;
  const name = cluster?.name ?? clusterId;
  if (clusterId.toLowerCase() !== placement.id.toLowerCase()) {
    return `is the trusted cluster '${placement.name}' with id ${placement.id}, but the pool's cluster '${name}' is ${clusterId}: that cluster was replaced or renamed outside Pulumi; run 'pulumi refresh' on the TrustedCluster and try again`;
  }
  if (cluster?.trusted_service !== true) {
    return `places the pool in cluster '${name}', but that cluster has the trusted service off, so its hosts are not attested; turn it back on ('pulumi up' of the TrustedCluster does) before placing pools there`;
  }
  return undefined;
}
