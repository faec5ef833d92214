/**
 * Entities rendered as the engine's JSON: snake_case, no root wrapper,
 * references as `{id, href}`, unset attributes left out, collections as
 * `{"<singular>": [...]}` and an empty collection as `{}`.
 */
import type { Cluster, DataCenter, EngineStore, Group, Host, Job, Permission, Role, Template, User, Vm, VmPool } from "./model";
import { SYSTEM_OBJECT_ID } from "./model";
import { renderVm, renderVmSettings } from "./render-vm";

/** The engine's built-in `none` scheduling policy. */
export const NONE_SCHEDULING_POLICY_ID = "b4ed2332-a7ac-4d5f-9596-99a439cb2812";
/** The engine's built-in `Default` MAC pool. */
export const DEFAULT_MAC_POOL_ID = "58ca604b-017d-0374-0220-00000000014e";

/** The API root every href starts with. */
export const API_ROOT = "/ovirt-engine/api";

type Json = Record<string, unknown>;

/** A reference to another entity. */
export function toLink(collection: string, id: string): Json {
  return { id, href: `${API_ROOT}/${collection}/${id}` };
}

/** A collection as the engine renders it; empty collections are `{}`. */
export function toCollection(singular: string, items: Json[]): Json {
  return items.length === 0 ? {} : { [singular]: items };
}

function links(base: string, rels: string[]): Json[] {
  return rels.map((rel) => ({ href: `${base}/${rel}`, rel }));
}

function actions(base: string, rels: string[]): Json {
  return { link: links(base, rels) };
}

/** A data center. */
export function renderDataCenter(dc: DataCenter): Json {
  const href = `${API_ROOT}/datacenters/${dc.id}`;
  return { id: dc.id, href, name: dc.name, description: dc.description, status: dc.status, local: false, link: links(href, ["clusters", "permissions"]) };
}

/** A cluster. */
export function renderCluster(cluster: Cluster): Json {
  const href = `${API_ROOT}/clusters/${cluster.id}`;
  return {
    id: cluster.id,
    href,
    name: cluster.name,
    description: cluster.description,
    ...(cluster.comment === "" ? {} : { comment: cluster.comment }),
    ...(cluster.cpuArchitecture === "" ? {} : { cpu: { architecture: cluster.cpuArchitecture, type: cluster.cpuType } }),
    version: { major: cluster.version.major, minor: cluster.version.minor },
    virt_service: cluster.virtService,
    gluster_service: cluster.glusterService,
    trusted_service: cluster.trustedService,
    // Settings the sandbox does not model, with the engine's defaults for a
    // new cluster; clients such as Ansible's ovirt_cluster read them.
    ballooning_enabled: false,
    threads_as_cores: false,
    ha_reservation: false,
    maintenance_reason_required: false,
    optional_reason: false,
    switch_type: "legacy",
    firewall_type: "firewalld",
    ksm: { enabled: true, merge_across_nodes: true },
    memory_policy: { over_commit: { percent: 100 }, transparent_hugepages: { enabled: true } },
    fencing_policy: {
      enabled: true,
      skip_if_connectivity_broken: { enabled: false, threshold: 50 },
      skip_if_gluster_bricks_up: false,
      skip_if_gluster_quorum_not_met: false,
      skip_if_sd_active: { enabled: false },
    },
    error_handling: { on_error: "migrate" },
    migration: { auto_converge: "inherit", compressed: "inherit", encrypted: "inherit", bandwidth: { assignment_method: "auto" } },
    required_rng_sources: { required_rng_source: ["urandom"] },
    scheduling_policy: toLink("schedulingpolicies", NONE_SCHEDULING_POLICY_ID),
    mac_pool: toLink("macpools", DEFAULT_MAC_POOL_ID),
    data_center: toLink("datacenters", cluster.dataCenterId),
    link: links(href, ["permissions"]),
  };
}

/** A host, with `status_detail` when non-operational. */
export function renderHost(host: Host): Json {
  return {
    id: host.id,
    href: `${API_ROOT}/hosts/${host.id}`,
    name: host.name,
    address: host.address,
    status: host.status,
    ...(host.statusDetail === undefined ? {} : { status_detail: host.statusDetail }),
    cluster: toLink("clusters", host.clusterId),
  };
}

/** A template or template version. */
export function renderTemplate(t: Template): Json {
  return {
    id: t.id,
    href: `${API_ROOT}/templates/${t.id}`,
    name: t.name,
    description: t.description,
    version: { version_number: t.versionNumber, version_name: t.versionName, base_template: toLink("templates", t.baseTemplateId) },
    ...(t.clusterId === undefined ? {} : { cluster: toLink("clusters", t.clusterId) }),
    delete_protected: t.deleteProtected,
    ...renderVmSettings(t.settings, t.cpuArchitecture, false),
    status: "ok",
  };
}

/** A VM as `GET /vms` renders it, with its cluster's architecture. */
export function renderStoredVm(store: EngineStore, vm: Vm, options: { allContent: boolean; nextRun?: boolean; asPoolVm?: boolean }): Json {
  return renderVm(vm, { ...options, cpuArchitecture: store.clusters.get(vm.clusterId)?.cpuArchitecture ?? "undefined" });
}

/**
 * A pool. `size` is the number of VMs mapped to it; `template` and `vm` come
 * from one pool VM and are absent when the pool has none. `soundcard_enabled`
 * is never returned at pool level.
 */
export function renderPool(store: EngineStore, pool: VmPool, allContent = false): Json {
  const href = `${API_ROOT}/vmpools/${pool.id}`;
  const vms = store.poolVms(pool.id);
  const representative = vms[0];
  return {
    id: pool.id,
    href,
    name: pool.name,
    description: pool.description,
    ...(pool.comment === "" ? {} : { comment: pool.comment }),
    size: vms.length,
    prestarted_vms: pool.prestartedVms,
    max_user_vms: pool.maxUserVms,
    type: pool.type,
    stateful: pool.stateful,
    auto_storage_select: pool.autoStorageSelect,
    use_latest_template_version: pool.useLatestTemplateVersion,
    ...(pool.displayProxy === undefined ? {} : { display: { proxy: pool.displayProxy } }),
    // Device-level data is populated only with All-Content: true.
    ...(allContent ? { tpm_enabled: pool.tpmEnabled } : {}),
    cluster: toLink("clusters", pool.clusterId),
    ...(representative === undefined
      ? {}
      : { template: toLink("templates", representative.templateId), vm: renderStoredVm(store, representative, { allContent, asPoolVm: true }) }),
    actions: actions(href, ["allocatevm"]),
    link: links(href, ["permissions"]),
  };
}

/** A user. */
export function renderUser(user: User): Json {
  return {
    id: user.id,
    href: `${API_ROOT}/users/${user.id}`,
    name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    user_name: `${user.principal}@${user.domain}`,
    principal: user.principal,
    namespace: "*",
    domain_entry_id: Buffer.from(user.id).toString("hex").toUpperCase(),
    domain: { name: user.domain },
  };
}

/** A group. */
export function renderGroup(group: Group): Json {
  return { id: group.id, href: `${API_ROOT}/groups/${group.id}`, name: group.name, ...(group.domain === "" ? {} : { domain: { name: group.domain } }) };
}

/** A role. */
export function renderRole(role: Role): Json {
  return { id: role.id, href: `${API_ROOT}/roles/${role.id}`, name: role.name, description: role.description, administrative: role.administrative, mutable: role.mutable };
}

const OBJECT_COLLECTIONS: Record<Exclude<Permission["objectType"], "system">, string> = {
  data_center: "datacenters",
  cluster: "clusters",
  vm_pool: "vmpools",
  vm: "vms",
  template: "templates",
  host: "hosts",
};

/**
 * A permission. `as` rewrites the object link, as the engine does for
 * inherited permissions listed under another object.
 */
export function renderPermission(p: Permission, as?: { type: Permission["objectType"]; id: string }): Json {
  const objectType = as?.type ?? p.objectType;
  const objectId = as?.id ?? p.objectId;
  const base = objectType === "system" ? `${API_ROOT}/permissions` : `${API_ROOT}/${OBJECT_COLLECTIONS[objectType]}/${objectId}/permissions`;
  return {
    id: p.id,
    href: `${base}/${p.id}`,
    role: toLink("roles", p.roleId),
    ...(p.userId === undefined ? {} : { user: toLink("users", p.userId) }),
    ...(p.groupId === undefined ? {} : { group: toLink("groups", p.groupId) }),
    ...(objectType === "system" || objectId === SYSTEM_OBJECT_ID ? {} : { [objectType]: toLink(OBJECT_COLLECTIONS[objectType], objectId) }),
  };
}

/** A job. */
export function renderJob(job: Job): Json {
  return {
    id: job.id,
    href: `${API_ROOT}/jobs/${job.id}`,
    description: job.description,
    status: job.status,
    start_time: job.startTime,
    ...(job.endTime === undefined ? {} : { end_time: job.endTime }),
    last_updated: job.endTime ?? job.startTime,
    external: false,
    auto_cleared: true,
    ...(job.ownerId === undefined ? {} : { owner: toLink("users", job.ownerId) }),
  };
}
