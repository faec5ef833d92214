/**
 * Cluster commands and trusted compute pools (reference §4):
 * `AddClusterCommand`, `UpdateClusterCommand`, `RemoveClusterCommand` with
 * `ClusterValidator`, and host attestation (`InitVdsOnUpCommand`).
 */
import { readBool, readObject, readReference, readString, type Body } from "../body";
import type { Engine } from "../engine";
import type { EngineMessageKey } from "../engine-messages";
import { entityNotFound, incompleteParameters, operationFailed, type MessageRef } from "../faults";
import type { Cluster, DataCenter } from "../model";

/** `BusinessEntitiesDefinitions.CLUSTER_NAME_SIZE`. */
const MAX_CLUSTER_NAME = 40;
/** I18N name characters: letters of any script, digits, `-`, `_` (and `.` as the I18N pattern allows). */
const CLUSTER_NAME_PATTERN = /^[\p{L}0-9._-]+$/u;

function resolveDataCenter(engine: Engine, body: Body): DataCenter {
  const ref = readReference(body, "data_center");
  if (ref === undefined) {
    throw incompleteParameters("Cluster", ["data_center.id|name"], "add");
  }
  const found = ref.id !== undefined ? engine.store.dataCenters.get(ref.id) : [...engine.store.dataCenters.values()].find((dc) => dc.name === ref.name);
  if (found === undefined) {
    throw entityNotFound(ref.id !== undefined ? `DataCenter: id=${ref.id}` : `DataCenter: name=${ref.name ?? ""}`);
  }
  return found;
}

/** The service rules of `ClusterValidator`, first failure first. */
function validateServices(engine: Engine, virt: boolean, gluster: boolean, trusted: boolean): EngineMessageKey | undefined {
  if (!virt && !gluster) {
    return "CLUSTER_AT_LEAST_ONE_SERVICE_MUST_BE_ENABLED";
  }
  if (virt && gluster && !engine.store.config.AllowClusterWithVirtGlusterEnabled) {
    return "CLUSTER_ENABLING_BOTH_VIRT_AND_GLUSTER_SERVICES_NOT_ALLOWED";
  }
  if (trusted && engine.store.config.AttestationServer.trim() === "") {
    return "CLUSTER_CANNOT_SET_TRUSTED_ATTESTATION_SERVER_NOT_CONFIGURED";
  }
  return undefined;
}

function validateName(engine: Engine, name: string, selfId: string | undefined): MessageRef[] {
  if (name.length > MAX_CLUSTER_NAME) {
    return ["VALIDATION_CLUSTER_NAME_MAX"];
  }
  if (!CLUSTER_NAME_PATTERN.test(name)) {
    return ["VALIDATION_CLUSTER_NAME_INVALID"];
  }
  const clash = [...engine.store.clusters.values()].some((c) => c.id !== selfId && c.name.toLowerCase() === name.toLowerCase());
  return clash ? ["CLUSTER_CANNOT_DO_ACTION_NAME_IN_USE"] : [];
}

/**
 * Attests every host of a trusted cluster: a host the attestation server
 * does not trust becomes `non_operational` with detail `untrusted`; a trusted
 * one (or any host of an untrusted cluster) comes back up.
 */
export function attestHosts(engine: Engine, cluster: Cluster): void {
  for (const host of engine.store.hosts.values()) {
    if (host.clusterId !== cluster.id) {
      continue;
    }
    if (cluster.trustedService && host.attestation === "untrusted") {
      host.status = "non_operational";
      host.statusDetail = "untrusted";
    } else if (host.statusDetail === "untrusted") {
      host.status = "up";
      host.statusDetail = undefined;
    }
  }
}

/** `POST /clusters`. */
export function createCluster(engine: Engine, body: Body): Cluster {
  const name = readString(body, "name");
  if (name === undefined) {
    throw incompleteParameters("Cluster", readReference(body, "data_center") === undefined ? ["name", "data_center.id|name"] : ["name"], "add");
  }
  const dc = resolveDataCenter(engine, body);
  const virt = readBool(body, "virt_service") ?? true;
  const gluster = readBool(body, "gluster_service") ?? false;
  const trusted = readBool(body, "trusted_service") ?? false;
  const nameErrors = validateName(engine, name, undefined);
  if (nameErrors.length > 0) {
    throw operationFailed("VAR__ACTION__CREATE", "VAR__TYPE__CLUSTER", ...nameErrors);
  }
  const service = validateServices(engine, virt, gluster, trusted);
  if (service !== undefined) {
    throw operationFailed("VAR__ACTION__CREATE", "VAR__TYPE__CLUSTER", service);
  }
  const cpu = readObject(body, "cpu");
  const version = readObject(body, "version");
  const cluster: Cluster = {
    id: engine.newId(),
    name,
    description: readString(body, "description") ?? "",
    comment: readString(body, "comment") ?? "",
    dataCenterId: dc.id,
    cpuArchitecture: (cpu === undefined ? undefined : readString(cpu, "architecture")) ?? "x86_64",
    cpuType: (cpu === undefined ? undefined : readString(cpu, "type")) ?? "Intel Cascadelake Server Family",
    version: { major: Number(version?.["major"] ?? 4), minor: Number(version?.["minor"] ?? 8) },
    virtService: virt,
    glusterService: gluster,
    trustedService: trusted,
  };
  engine.store.clusters.set(cluster.id, cluster);
  return cluster;
}

/** `PUT /clusters/{id}`. */
export function updateCluster(engine: Engine, cluster: Cluster, body: Body): Cluster {
  const name = readString(body, "name") ?? cluster.name;
  const virt = readBool(body, "virt_service") ?? cluster.virtService;
  const gluster = readBool(body, "gluster_service") ?? cluster.glusterService;
  const trusted = readBool(body, "trusted_service") ?? cluster.trustedService;
  const dcRef = readReference(body, "data_center");
  const fail = (...refs: MessageRef[]): never => {
    throw operationFailed("VAR__ACTION__UPDATE", "VAR__TYPE__CLUSTER", ...refs);
  };
  const nameErrors = validateName(engine, name, cluster.id);
  if (nameErrors.length > 0) {
    fail(...nameErrors);
  }
  if (dcRef !== undefined && dcRef.id !== undefined && dcRef.id !== cluster.dataCenterId) {
    fail("CLUSTER_CANNOT_CHANGE_STORAGE_POOL");
  }
  const service = validateServices(engine, virt, gluster, trusted);
  if (service !== undefined) {
    fail(service);
  }
  if (!virt && cluster.virtService && [...engine.store.vms.values()].some((vm) => vm.clusterId === cluster.id)) {
    fail("CLUSTER_CANNOT_DISABLE_VIRT_WHEN_CLUSTER_CONTAINS_VMS");
  }
  cluster.name = name;
  cluster.description = readString(body, "description") ?? cluster.description;
  cluster.comment = readString(body, "comment") ?? cluster.comment;
  cluster.virtService = virt;
  cluster.glusterService = gluster;
  cluster.trustedService = trusted;
  attestHosts(engine, cluster);
  return cluster;
}

/** `DELETE /clusters/{id}`: refused with every reason that applies. */
export function removeCluster(engine: Engine, cluster: Cluster): void {
  const { store } = engine;
  const reasons: EngineMessageKey[] = [];
  if ([...store.hosts.values()].some((h) => h.clusterId === cluster.id)) {
    reasons.push("VDS_CANNOT_REMOVE_CLUSTER_VDS_DETECTED");
  }
  if ([...store.vms.values()].some((vm) => vm.clusterId === cluster.id)) {
    reasons.push("VM_CANNOT_REMOVE_CLUSTER_VMS_DETECTED");
  }
  if ([...store.templates.values()].some((t) => t.clusterId === cluster.id)) {
    reasons.push("VMT_CANNOT_REMOVE_CLUSTER_VMTS_DETECTED");
  }
  if ([...store.pools.values()].some((p) => p.clusterId === cluster.id)) {
    reasons.push("CLUSTER_CANNOT_REMOVE_HAS_VM_POOLS");
  }
  if (reasons.length > 0) {
    throw operationFailed("VAR__ACTION__REMOVE", "VAR__TYPE__CLUSTER", ...reasons);
  }
  store.clusters.delete(cluster.id);
  for (const [id, p] of store.permissions) {
    if (p.objectType === "cluster" && p.objectId === cluster.id) {
      store.permissions.delete(id);
    }
  }
}
