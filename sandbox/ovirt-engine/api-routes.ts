/**
 * The REST API's resources under `/ovirt-engine/api`: which method and path
 * run which command, and how each answer is rendered (reference §2–§6).
 */
import type { Body } from "./body";
import { createCluster, removeCluster, updateCluster } from "./commands/clusters";
import { addPermission, listPermissions, removePermission, requireAdmin, type PermissionObject } from "./commands/permissions";
import { allocateVm, createPool, removePool, updatePool } from "./commands/pools";
import type { Engine } from "./engine";
import { notFoundInPath } from "./faults";
import { action, created, need, ok, search, type ApiRequest, type ApiResponse, type Handler } from "./api-route-kit";
import { VM_ROUTES } from "./api-routes-vms";
import { SYSTEM_OBJECT_ID, type PermissionObjectType } from "./model";
import {
  renderCluster,
  renderDataCenter,
  renderGroup,
  renderHost,
  renderJob,
  renderPermission,
  renderPool,
  renderRole,
  renderTemplate,
  renderUser,
  toCollection,
  toLink,
  DEFAULT_MAC_POOL_ID,
  NONE_SCHEDULING_POLICY_ID,
} from "./render";
import { parseSearch } from "./search";

export type { ApiRequest, ApiResponse } from "./api-route-kit";

/**
 * The users search as `VdcUserConditionFieldAutoCompleter` builds it: a
 * `usrname` value with `@` is split at the last `@` into a login and a
 * directory term; without `@` it compares the login.
 */
function withUserNameSplit(req: ApiRequest): ApiRequest {
  const query = req.query.get("search");
  if (query === null) {
    return req;
  }
  const terms = parseSearch(query).map(({ field, value }) => {
    const at = value.lastIndexOf("@");
    return field === "usrname" && at >= 0 ? `login="${value.slice(0, at)}" and directory="${value.slice(at + 1)}"` : `${field}="${value}"`;
  });
  const rewritten = new URLSearchParams(req.query);
  rewritten.set("search", terms.join(" and "));
  return { ...req, query: rewritten };
}

/** Permission sub-collection handlers for one object type. */
function permissionRoutes(prefix: string, type: PermissionObjectType, exists: (engine: Engine, id: string) => boolean): [string, string, Handler][] {
  const objectOf = (params: string[]): PermissionObject => ({ type, id: type === "system" ? SYSTEM_OBJECT_ID : (params[0] ?? "") });
  const check = (engine: Engine, params: string[]): PermissionObject => {
    const object = objectOf(params);
    if (type !== "system" && !exists(engine, object.id)) {
      throw notFoundInPath();
    }
    return object;
  };
  return [
    ["GET", `${prefix}/permissions`, (e, _r, p) => ok(toCollection("permission", listPermissions(e, check(e, p)).map(({ permission, as }) => renderPermission(permission, as))))],
    [
      "POST",
      `${prefix}/permissions`,
      (e, r, p) => {
        const object = check(e, p);
        requireAdmin(e, r.ctx.user, object);
        return created(renderPermission(addPermission(e, r.ctx, object, r.body)));
      },
    ],
    ["GET", `${prefix}/permissions/([^/]+)`, (e, _r, p) => (check(e, p), ok(renderPermission(need(e.store.permissions.get(p[p.length - 1] ?? "")))))],
    [
      "DELETE",
      `${prefix}/permissions/([^/]+)`,
      (e, r, p) => {
        const object = check(e, p);
        requireAdmin(e, r.ctx.user, object);
        removePermission(e, r.ctx, need(e.store.permissions.get(p[p.length - 1] ?? "")));
        return ok(undefined);
      },
    ],
  ];
}

const ID = "([^/]+)";

/** The built-in scheduling policy every cluster here uses. */
function renderSchedulingPolicy(id: string = NONE_SCHEDULING_POLICY_ID): Record<string, unknown> {
  return { id, href: `/ovirt-engine/api/schedulingpolicies/${id}`, name: "none", description: "No load balancing operations", locked: true, default_policy: true };
}

/** The built-in MAC pool. */
function renderMacPool(id: string = DEFAULT_MAC_POOL_ID): Record<string, unknown> {
  return { id, href: `/ovirt-engine/api/macpools/${id}`, name: "Default", description: "Default MAC pool", allow_duplicates: false, default_pool: true };
}

const ROUTES: [string, string, Handler][] = [
  ["GET", "", () => ok({ product_info: { name: "oVirt Engine", vendor: "pulumi-vmpools sandbox", version: { major: 4, minor: 5, build: 7, revision: 0 } }, link: [] })],
  ["GET", "/datacenters", (e, r) => ok(toCollection("data_center", search(r, [...e.store.dataCenters.values()], { name: (d) => d.name }).map(renderDataCenter)))],
  ["GET", `/datacenters/${ID}`, (e, _r, [id]) => ok(renderDataCenter(need(e.store.dataCenters.get(id ?? ""))))],
  ["GET", "/clusters", (e, r) => ok(toCollection("cluster", search(r, [...e.store.clusters.values()], { name: (c) => c.name }).map(renderCluster)))],
  [
    "POST",
    "/clusters",
    (e, r) =>
      created(
        renderCluster(
          createCluster(e, r.body, (dc) => {
            requireAdmin(e, r.ctx.user, { type: "data_center", id: dc.id });
          }),
        ),
      ),
  ],
  ["GET", `/clusters/${ID}`, (e, _r, [id]) => ok(renderCluster(need(e.store.clusters.get(id ?? ""))))],
  [
    "PUT",
    `/clusters/${ID}`,
    (e, r, [id]) => {
      const cluster = need(e.store.clusters.get(id ?? ""));
      requireAdmin(e, r.ctx.user, { type: "cluster", id: cluster.id });
      return ok(renderCluster(updateCluster(e, cluster, r.body)));
    },
  ],
  [
    "DELETE",
    `/clusters/${ID}`,
    (e, r, [id]) => {
      const cluster = need(e.store.clusters.get(id ?? ""));
      requireAdmin(e, r.ctx.user, { type: "cluster", id: cluster.id });
      removeCluster(e, cluster);
      return { status: r.async ? 202 : 200 };
    },
  ],
  ["GET", "/schedulingpolicies", () => ok(toCollection("scheduling_policy", [renderSchedulingPolicy()]))],
  ["GET", `/schedulingpolicies/${ID}`, (_e, _r, [id]) => ok(renderSchedulingPolicy(need(id === NONE_SCHEDULING_POLICY_ID ? id : undefined)))],
  ["GET", "/macpools", () => ok(toCollection("mac_pool", [renderMacPool()]))],
  ["GET", `/macpools/${ID}`, (_e, _r, [id]) => ok(renderMacPool(need(id === DEFAULT_MAC_POOL_ID ? id : undefined)))],
  ["GET", "/hosts", (e, r) => ok(toCollection("host", search(r, [...e.store.hosts.values()], { name: (h) => h.name, cluster: (h) => e.store.clusters.get(h.clusterId)?.name, status: (h) => h.status }).map(renderHost)))],
  ["GET", `/hosts/${ID}`, (e, _r, [id]) => ok(renderHost(need(e.store.hosts.get(id ?? ""))))],
  ["GET", "/templates", (e, r) => ok(toCollection("template", search(r, [...e.store.templates.values()], { name: (t) => t.name, cluster: (t) => e.store.clusters.get(t.clusterId ?? "")?.name }).map(renderTemplate)))],
  ["GET", `/templates/${ID}`, (e, _r, [id]) => ok(renderTemplate(need(e.store.templates.get(id ?? ""))))],
  [
    "GET",
    "/vmpools",
    (e, r) =>
      ok(
        toCollection(
          "vm_pool",
          search(r, [...e.store.pools.values()], {
            name: (p) => p.name,
            description: (p) => p.description,
            comment: (p) => p.comment,
            type: (p) => p.type,
            cluster: (p) => e.store.clusters.get(p.clusterId)?.name,
          }).map((p) => renderPool(e.store, p, r.allContent)),
        ),
      ),
  ],
  [
    "POST",
    "/vmpools",
    (e, r) => {
      const clusterRef = r.body["cluster"];
      const clusterId = [...e.store.clusters.values()].find((c) => typeof clusterRef === "object" && clusterRef !== null && ((clusterRef as Body)["id"] === c.id || (clusterRef as Body)["name"] === c.name))?.id;
      requireAdmin(e, r.ctx.user, clusterId === undefined ? { type: "system", id: SYSTEM_OBJECT_ID } : { type: "cluster", id: clusterId });
      return created(renderPool(e.store, createPool(e, r.ctx, r.body), r.allContent));
    },
  ],
  ["GET", `/vmpools/${ID}`, (e, r, [id]) => ok(renderPool(e.store, need(e.store.pools.get(id ?? "")), r.allContent))],
  [
    "PUT",
    `/vmpools/${ID}`,
    (e, r, [id]) => {
      const pool = need(e.store.pools.get(id ?? ""));
      requireAdmin(e, r.ctx.user, { type: "vm_pool", id: pool.id });
      return ok(renderPool(e.store, updatePool(e, r.ctx, pool, r.body), r.allContent));
    },
  ],
  [
    "DELETE",
    `/vmpools/${ID}`,
    (e, r, [id]) => {
      const pool = need(e.store.pools.get(id ?? ""));
      requireAdmin(e, r.ctx.user, { type: "vm_pool", id: pool.id });
      removePool(e, r.ctx, pool);
      return { status: r.async ? 202 : 200 };
    },
  ],
  [
    "POST",
    `/vmpools/${ID}/allocatevm`,
    (e, r, [id]) => {
      const pool = need(e.store.pools.get(id ?? ""));
      return action(r, () => ({ vm: toLink("vms", allocateVm(e, r.ctx, pool).id) }));
    },
  ],
  ...permissionRoutes(`/vmpools/${ID}`, "vm_pool", (e, id) => e.store.pools.has(id)),
  ...VM_ROUTES,
  ...permissionRoutes(`/vms/${ID}`, "vm", (e, id) => e.store.vms.has(id)),
  ...permissionRoutes(`/clusters/${ID}`, "cluster", (e, id) => e.store.clusters.has(id)),
  ...permissionRoutes(`/datacenters/${ID}`, "data_center", (e, id) => e.store.dataCenters.has(id)),
  ...permissionRoutes("", "system", () => true),
  [
    "GET",
    "/users",
    (e, r) =>
      ok(
        toCollection(
          "user",
          search(withUserNameSplit(r), [...e.store.users.values()], {
            usrname: (u) => u.principal,
            name: (u) => u.firstName,
            login: (u) => u.principal,
            directory: (u) => u.domain,
            lastname: (u) => u.lastName,
          }).map(renderUser),
        ),
      ),
  ],
  ["GET", `/users/${ID}`, (e, _r, [id]) => ok(renderUser(need(e.store.users.get(id ?? ""))))],
  ["GET", "/groups", (e, r) => ok(toCollection("group", search(r, [...e.store.groups.values()], { name: (g) => g.name, grpname: (g) => g.name }).map(renderGroup)))],
  ["GET", `/groups/${ID}`, (e, _r, [id]) => ok(renderGroup(need(e.store.groups.get(id ?? ""))))],
  ["GET", "/roles", (e) => ok(toCollection("role", [...e.store.roles.values()].map(renderRole)))],
  ["GET", `/roles/${ID}`, (e, _r, [id]) => ok(renderRole(need([...e.store.roles.values()].find((role) => role.id.toLowerCase() === id?.toLowerCase()))))],
  ["GET", "/jobs", (e, r) => ok(toCollection("job", search(r, [...e.store.jobs.values()], { correlation_id: (j) => j.correlationId, description: (j) => j.description, status: (j) => j.status }).map(renderJob)))],
  ["GET", `/jobs/${ID}`, (e, _r, [id]) => ok(renderJob(need(e.store.jobs.get(id ?? ""))))],
];

const COMPILED = ROUTES.map(([method, pattern, handler]) => ({ method, regex: new RegExp(`^${pattern}/?$`), handler }));

/** Runs the route for a request; a path no route knows is 404 with an empty body. */
export function routeApiRequest(engine: Engine, req: ApiRequest): ApiResponse {
  for (const route of COMPILED) {
    if (route.method !== req.method) {
      continue;
    }
    const match = route.regex.exec(req.path);
    if (match !== null) {
      return route.handler(engine, req, match.slice(1));
    }
  }
  throw notFoundInPath();
}

