/**
 * Pure conversions between `TrustedCluster` inputs and the engine's
 * `cluster` and `host` JSON, and the reading of the engine's cluster faults,
 * written from the API reference §4 and §7.
 */
import { z } from "zod";

import type { ovirtTrustedClusterBackendSchema, TrustedClusterInputs, TrustedPlacement } from "../../schemas/trusted-cluster";
import type { ClusterHost } from "../trusted-cluster-backend";

/** The oVirt options of a trusted cluster after defaults. */
export type OvirtTrustedClusterBackendInputs = z.infer<typeof ovirtTrustedClusterBackendSchema>;
/** Inputs of a trusted cluster on oVirt. */
export type OvirtTrustedClusterInputs = TrustedClusterInputs & { backend: OvirtTrustedClusterBackendInputs };

/** A compatibility version `major.minor` as the engine's `version` object. Example: `"4.7"` -> `{major: 4, minor: 7}`. */
export function toOvirtVersion(version: string): { major: number; minor: number } {
  const [major = "", minor = ""] = version.split(".");
  return { major: Number(major), minor: Number(minor) };
}

/**
 * The body of `PUT /clusters/{id}`: what changes in place. `trusted_service`
 * is always sent, so an update also turns trust back on after someone
 * turned it off outside Pulumi. CPU type and version are sent only when
 * given: left out, the engine keeps its own choice.
 */
export function toOvirtClusterUpdateBody(inputs: OvirtTrustedClusterInputs): Record<string, unknown> {
  const b = inputs.backend;
  return {
    description: inputs.description,
    comment: b.comment,
    virt_service: b.virtService,
    gluster_service: b.glusterService,
    trusted_service: true,
    ...(b.cpuType === undefined ? {} : { cpu: { type: b.cpuType } }),
    ...(b.compatibilityVersion === undefined ? {} : { version: toOvirtVersion(b.compatibilityVersion) }),
  };
}

/** The body of `POST /clusters`: the update's fields plus the name and the data center (by id). */
export function toOvirtClusterCreateBody(inputs: OvirtTrustedClusterInputs, dataCenterId: string): Record<string, unknown> {
  return { name: inputs.name, data_center: { id: dataCenterId }, ...toOvirtClusterUpdateBody(inputs) };
}

const clusterSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  comment: z.string().optional(),
  cpu: z.object({ type: z.string().optional() }).optional(),
  version: z.object({ major: z.number().int(), minor: z.number().int() }).optional(),
  virt_service: z.boolean().optional(),
  gluster_service: z.boolean().optional(),
  trusted_service: z.boolean().optional(),
  data_center: z.object({ id: z.string() }).optional(),
});

/** A cluster as the engine reports it. */
export interface ObservedOvirtCluster {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly comment: string;
  /** Undefined while the engine has not chosen one (no host yet). */
  readonly cpuType: string | undefined;
  /** `major.minor`, e.g. `4.8`. */
  readonly compatibilityVersion: string | undefined;
  readonly virtService: boolean;
  readonly glusterService: boolean;
  readonly trustedService: boolean;
  readonly dataCenterId: string | undefined;
}

/** Reads a `cluster` object; throws naming the first unexpected field. */
export function fromOvirtCluster(body: unknown): ObservedOvirtCluster {
  const parsed = clusterSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`unexpected cluster from the engine at '${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}`);
  }
  const c = parsed.data;
  return {
    id: c.id,
    name: c.name,
    description: c.description ?? "",
    comment: c.comment ?? "",
    cpuType: c.cpu?.type === "" ? undefined : c.cpu?.type,
    compatibilityVersion: c.version === undefined ? undefined : `${c.version.major}.${c.version.minor}`,
    // The entity defaults (reference §4): virt on, gluster and trusted off.
    virtService: c.virt_service ?? true,
    glusterService: c.gluster_service ?? false,
    trustedService: c.trusted_service ?? false,
    dataCenterId: c.data_center?.id,
  };
}

/** Reads a `GET /clusters` collection; an empty collection is `{}`. */
export function fromOvirtClusterList(body: unknown): ObservedOvirtCluster[] {
  const list = (typeof body === "object" && body !== null ? (body as { cluster?: unknown }).cluster : undefined) ?? [];
  return z.array(z.unknown()).parse(list).map(fromOvirtCluster);
}

const hostSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  status_detail: z.string().optional(),
  cluster: z.object({ id: z.string() }).optional(),
});

/** A host as `GET /hosts` lists it. */
export interface ObservedOvirtHost {
  readonly id: string;
  readonly name: string;
  /** Lower-case `HostStatus`, e.g. `up`, `non_operational`, `maintenance`. */
  readonly status: string;
  /** Lower-case `NonOperationalReason` when non-operational, e.g. `untrusted`. */
  readonly statusDetail: string | undefined;
  readonly clusterId: string | undefined;
}

/** Reads a `GET /hosts` collection in natural name order; an empty collection is `{}`. */
export function fromOvirtHostList(body: unknown): ObservedOvirtHost[] {
  const list = (typeof body === "object" && body !== null ? (body as { host?: unknown }).host : undefined) ?? [];
  return z
    .array(hostSchema)
    .parse(list)
    .map((h) => ({ id: h.id, name: h.name, status: h.status, statusDetail: h.status_detail, clusterId: h.cluster?.id }))
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}

/** Whether attestation refused a host: `non_operational` with detail `untrusted` (reference §4, `InitVdsOnUpCommand`). */
export function isUntrustedHost(host: Pick<ObservedOvirtHost, "status" | "statusDetail">): boolean {
  return host.status === "non_operational" && host.statusDetail === "untrusted";
}

/**
 * The `hosts` and `untrustedHosts` outputs. The engine attests a host of a
 * trusted cluster when it comes up, so only hosts that are `up` in a cluster
 * with the trusted service on count as trusted; a host in maintenance or
 * installing has not been attested (yet), but only hosts attestation refused
 * are listed as untrusted.
 * Example: `host2` `non_operational`/`untrusted` -> `untrustedHosts: ["host2"]`.
 */
export function toClusterHosts(hosts: readonly ObservedOvirtHost[], trustedService: boolean): { hosts: ClusterHost[]; untrustedHosts: string[] } {
  return {
    hosts: hosts.map((h) => ({
      name: h.name,
      status: h.status,
      ...(h.statusDetail === undefined ? {} : { statusDetail: h.statusDetail }),
      trusted: trustedService && h.status === "up",
    })),
    untrustedHosts: hosts.filter(isUntrustedHost).map((h) => h.name),
  };
}

/**
 * The inputs describing a live cluster, for `read`. CPU type and version
 * left to the engine stay unset (the engine's choice is no drift); given
 * ones show what the engine has now. The data center keeps the previous
 * spelling (a name stays a name): the engine cannot move a cluster.
 */
export function toInputsFromOvirtCluster(observed: ObservedOvirtCluster, previous: OvirtTrustedClusterInputs): OvirtTrustedClusterInputs {
  const b = previous.backend;
  return {
    name: observed.name,
    description: observed.description,
    backend: {
      kind: "ovirt",
      ...(b.connection === undefined ? {} : { connection: b.connection }),
      dataCenter: b.dataCenter,
      ...(b.cpuType === undefined || observed.cpuType === undefined ? {} : { cpuType: observed.cpuType }),
      ...(b.compatibilityVersion === undefined || observed.compatibilityVersion === undefined ? {} : { compatibilityVersion: observed.compatibilityVersion }),
      virtService: observed.virtService,
      glusterService: observed.glusterService,
      comment: observed.comment,
    },
  };
}

/** The `placement` output: what a `VmPool` placed in the cluster needs. */
export function toOvirtPlacement(observed: Pick<ObservedOvirtCluster, "id" | "name">, connection: string | undefined): TrustedPlacement {
  return { kind: "ovirt", ...(connection === undefined ? {} : { connection }), name: observed.name, id: observed.id };
}

/**
 * Whether a cluster that appeared after a create whose answer was lost is
 * exactly what that create asked for: the name (the engine compares it
 * case-insensitively), data center, services and texts, and the CPU type
 * and version where given.
 */
export function isClusterAsRequested(observed: ObservedOvirtCluster, inputs: OvirtTrustedClusterInputs, dataCenterId: string): boolean {
  const b = inputs.backend;
  return (
    observed.name.toLowerCase() === inputs.name.toLowerCase() &&
    observed.dataCenterId === dataCenterId &&
    observed.trustedService &&
    observed.virtService === b.virtService &&
    observed.glusterService === b.glusterService &&
    observed.description === inputs.description &&
    observed.comment === b.comment &&
    (b.cpuType === undefined || observed.cpuType === b.cpuType) &&
    (b.compatibilityVersion === undefined || observed.compatibilityVersion === b.compatibilityVersion)
  );
}

/** What an engine fault about a cluster means, from its English text (the engine's `AppErrors`, reference §7). */
export type ClusterRefusal = "attestation-not-configured" | "name-in-use" | "has-pools" | "has-hosts" | "has-vms" | "has-templates" | "virt-needed-by-vms" | "other";

const REFUSAL_TEXTS: readonly (readonly [Exclude<ClusterRefusal, "other">, string])[] = [
  ["attestation-not-configured", "Attestation server should be configured correctly"],
  ["name-in-use", "Cluster name is already in use"],
  ["has-pools", "One or more VM-Pools are still associated with it"],
  ["has-hosts", "Cluster contains one or more Hosts"],
  ["has-vms", "One or more VMs are still assigned to the Cluster"],
  ["has-templates", "One or more Template(s) are still associated"],
  ["virt-needed-by-vms", "Cannot disable virt service on the cluster as it contains VMs"],
];

/** Every refusal a fault text names, in the engine's order; `["other"]` when it names none. */
export function classifyClusterFault(text: string): ClusterRefusal[] {
  const found = REFUSAL_TEXTS.filter(([, needle]) => text.includes(needle)).map(([refusal]) => refusal);
  return found.length === 0 ? ["other"] : found;
}

/**
 * How to give the engine an attestation server (seed 000, "Connecting an
 * OpenAttestation Server to the Engine"; defaults from the engine's
 * `0000_config.sql`, reference §4).
 */
export const ATTESTATION_FIX =
  "the engine has no attestation server configured (engine-config key AttestationServer is empty, its default), and it refuses the trusted service without one. " +
  "On the engine machine run 'engine-config -s AttestationServer=<FQDN of the OpenAttestation server>', " +
  "and where they differ from the defaults also 'engine-config -s AttestationPort=<port>' (default 8443), 'engine-config -s AttestationTruststore=<trust store>' (default TrustStore.jks) " +
  "and 'engine-config -s AttestationTruststorePass=<password>'; then 'systemctl restart ovirt-engine' and run 'pulumi up' again";
