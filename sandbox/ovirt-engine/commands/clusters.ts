/**
 * Cluster commands and trusted compute pools (reference §4):
 * `AddClusterCommand`, `UpdateClusterCommand`, `RemoveClusterCommand` with
 * `ClusterValidator`, and host attestation (`InitVdsOnUpCommand`).
 */
import { readBool, readObject, readReference, readString, type Body, type Reference } from "../body";
import type { Engine } from "../engine";
import type { EngineMessageKey } from "../engine-messages";
import { entityNotFound, incompleteParameters, operationFailed, type MessageRef } from "../faults";
import type { Cluster, DataCenter } from "../model";

/** `BusinessEntitiesDefinitions.CLUSTER_NAME_SIZE`. */
const MAX_CLUSTER_NAME = 40;
/** `ValidationUtils.NO_SPECIAL_CHARACTERS_I18N`: letters of any script, digits, `.`, `_`, `-` (the length is checked apart). */
const CLUSTER_NAME_PATTERN = /^[\p{L}0-9._-]*$/u;

/** The REST layer's mandatory fields of a cluster add (`BackendClustersResource.getMandatoryParameters`). */
const MANDATORY_ON_ADD = ["name", "dataCenter.name|id"] as const;

/** `BackendDataCenterResource.getStoragePool`: by id, else by name; 404 with a fault when missing. */
function resolveDataCenter(engine: Engine, ref: Reference): DataCenter {
  const found = ref.id !== undefined ? engine.store.dataCenters.get(ref.id) : [...engine.store.dataCenters.values()].find((dc) => dc.name === ref.name);
  if (found === undefined) {
    throw entityNotFound(ref.id !== undefined ? `Datacenter: id=${ref.id}` : `Datacenter: name=${ref.name ?? ""}`);
  }
  return found;
}

/** The service rules of `ClusterValidator` shared by add and update, first failure first. */
function validateServiceMix(engine: Engine, virt: boolean, gluster: boolean): EngineMessageKey | undefined {
  if (!virt && !gluster) {
    return "CLUSTER_AT_LEAST_ONE_SERVICE_MUST_BE_ENABLED";
  }
  if (virt && gluster && !engine.store.config.AllowClusterWithVirtGlusterEnabled) {
    return "CLUSTER_ENABLING_BOTH_VIRT_AND_GLUSTER_SERVICES_NOT_ALLOWED";
  }
  return undefined;
}

/** `attestationServerConfigured` / `setTrustedAttestation`: trusted needs a non-empty `AttestationServer`. */
function validateTrusted(engine: Engine, trusted: boolean): EngineMessageKey | undefined {
  return trusted && engine.store.config.AttestationServer === "" ? "CLUSTER_CANNOT_SET_TRUSTED_ATTESTATION_SERVER_NOT_CONFIGURED" : undefined;
}

/**
 * Bean validation of `Cluster.name` (`@Size(min=1, max=40)` and
 * `@ValidI18NName`), which runs before the command's own checks; each
 * violation is followed by its attribute path, as `ValidationUtils.validateInputs` adds it.
 */
function validateNameBean(name: string): MessageRef[] {
  const refs: MessageRef[] = [];
  const path: MessageRef = { key: "ACTION_TYPE_FAILED_ATTRIBUTE_PATH", vars: { path: "cluster.name" } };
  if (name.length < 1 || name.length > MAX_CLUSTER_NAME) {
    refs.push("VALIDATION_CLUSTER_NAME_MAX", path);
  }
  if (!CLUSTER_NAME_PATTERN.test(name)) {
    refs.push("VALIDATION_CLUSTER_NAME_INVALID", path);
  }
  return refs;
}

/**
 * Name uniqueness: the add (`ClusterValidator.nameNotUsed`) compares
 * case-insensitively; the update (`isClusterUnique`, only when the name
 * changed) compares case-sensitively.
 */
function nameInUse(engine: Engine, name: string, caseSensitive: boolean): boolean {
  const same = (a: string): boolean => (caseSensitive ? a === name : a.toLowerCase() === name.toLowerCase());
  return [...engine.store.clusters.values()].some((c) => same(c.name));
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

/**
 * `POST /clusters`. `authorize` runs once the data center is known, as the
 * engine checks the caller's permission on it inside the command.
 */
export function createCluster(engine: Engine, body: Body, authorize: (dataCenter: DataCenter) => void = () => undefined): Cluster {
  const name = readString(body, "name");
  const dcRef = readReference(body, "data_center");
  const missing = MANDATORY_ON_ADD.filter((field) => (field === "name" ? name === undefined : dcRef === undefined));
  if (name === undefined || dcRef === undefined) {
    throw incompleteParameters("Cluster", [...missing], "add");
  }
  const dc = resolveDataCenter(engine, dcRef);
  authorize(dc);
  const virt = readBool(body, "virt_service") ?? true;
  const gluster = readBool(body, "gluster_service") ?? false;
  const trusted = readBool(body, "trusted_service") ?? false;
  const fail = (...refs: MessageRef[]): never => {
    throw operationFailed("VAR__ACTION__CREATE", "VAR__TYPE__CLUSTER", ...refs);
  };
  const beanErrors = validateNameBean(name);
  if (beanErrors.length > 0) {
    fail(...beanErrors);
  }
  if (nameInUse(engine, name, false)) {
    fail("CLUSTER_CANNOT_DO_ACTION_NAME_IN_USE");
  }
  const service = validateServiceMix(engine, virt, gluster) ?? validateTrusted(engine, trusted);
  if (service !== undefined) {
    fail(service);
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

/** `PUT /clusters/{id}`: the checks of `UpdateClusterCommand.validate`, in its order. */
export function updateCluster(engine: Engine, cluster: Cluster, body: Body): Cluster {
  const name = readString(body, "name") ?? cluster.name;
  const virt = readBool(body, "virt_service") ?? cluster.virtService;
  const gluster = readBool(body, "gluster_service") ?? cluster.glusterService;
  const trusted = readBool(body, "trusted_service") ?? cluster.trustedService;
  const dcRef = readReference(body, "data_center");
  const fail = (...refs: MessageRef[]): never => {
    throw operationFailed("VAR__ACTION__UPDATE", "VAR__TYPE__CLUSTER", ...refs);
  };
  const beanErrors = validateNameBean(name);
  if (beanErrors.length > 0) {
    fail(...beanErrors);
  }
  if (name !== cluster.name && nameInUse(engine, name, true)) {
    fail("CLUSTER_CANNOT_DO_ACTION_NAME_IN_USE");
  }
  const newDataCenterId = dcRef === undefined ? cluster.dataCenterId : (dcRef.id ?? [...engine.store.dataCenters.values()].find((dc) => dc.name === dcRef.name)?.id);
  if (newDataCenterId !== cluster.dataCenterId) {
    fail("CLUSTER_CANNOT_CHANGE_STORAGE_POOL");
  }
  const mix = validateServiceMix(engine, virt, gluster);
  if (mix !== undefined) {
    fail(mix);
  }
  if (!virt && [...engine.store.vms.values()].some((vm) => vm.clusterId === cluster.id)) {
    fail("CLUSTER_CANNOT_DISABLE_VIRT_WHEN_CLUSTER_CONTAINS_VMS");
  }
  const attestation = validateTrusted(engine, trusted);
  if (attestation !== undefined) {
    fail(attestation);
  }
  // ClusterMapper maps `cpu.type` and `version` on update as on add, so
  // both change in place (the sandbox models no CPU or version checks).
  const cpu = readObject(body, "cpu");
  const version = readObject(body, "version");
  cluster.name = name;
  cluster.description = readString(body, "description") ?? cluster.description;
  cluster.comment = readString(body, "comment") ?? cluster.comment;
  cluster.cpuType = (cpu === undefined ? undefined : readString(cpu, "type")) ?? cluster.cpuType;
  if (version !== undefined) {
    cluster.version = { major: Number(version["major"] ?? cluster.version.major), minor: Number(version["minor"] ?? cluster.version.minor) };
  }
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
