/**
 * Pure: a `PoolPermission` on KubeVirt as least-privilege RBAC, one Role and
 * one RoleBinding in the pool's namespace. No I/O, so every rule is
 * table-tested.
 *
 * The rules follow KubeVirt's own aggregated roles
 * (`pkg/virt-operator/resource/generate/rbac/cluster.go`, `kubevirt.io:edit`):
 * lifecycle subresources in `subresources.kubevirt.io` take verb `update`
 * (HTTP PUT), console and VNC take verb `get` (websocket GET). Unlike those
 * roles, every rule names its objects (`resourceNames`): the pool's VMs,
 * `<pool>-0` .. `<pool>-<size-1>` (virt-controller's `generateVMName`), and
 * a VMI has its VM's name.
 */
import { createHash } from "node:crypto";

import type { V1ObjectMeta, V1Role, V1RoleBinding } from "@kubernetes/client-node";

import type { KUBEVIRT_POOL_ROLES } from "../../schemas/permission-rules";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./mapping";

/** A role a pool permission can carry on KubeVirt. */
export type KubevirtPoolRole = (typeof KUBEVIRT_POOL_ROLES)[number];

/** API group of Role and RoleBinding. */
export const RBAC_GROUP = "rbac.authorization.k8s.io";
/** Label naming the pool a Role or RoleBinding grants on, for `kubectl get roles -l`. */
export const POOL_LABEL = "vmpools.pulumi.com/pool";
/** Annotation describing the permission, e.g. `UserRole for User alice on VirtualMachinePool lab`. */
export const PERMISSION_ANNOTATION = "vmpools.pulumi.com/permission";
/** Annotation holding the pool's uid: a recreated pool is another pool. */
export const POOL_UID_ANNOTATION = "vmpools.pulumi.com/pool-uid";
/** A fresh id per create, which proves whose create made an object when the answer was lost. */
export const CREATE_ID_ANNOTATION = "vmpools.pulumi.com/create-id";

/** Longest object name the provider generates: a DNS label, readable in `kubectl` columns. */
export const MAX_PERMISSION_NAME = 63;
/** Hex characters of the hash suffix of a shortened or lossy name. */
const HASH_LENGTH = 8;

/** One RBAC `PolicyRule`. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  verbs: string[];
}

/** An RBAC subject: the user or group the permission is for. */
export interface RbacSubject {
  readonly kind: "User" | "Group";
  readonly apiGroup: typeof RBAC_GROUP;
  readonly name: string;
}

/** What a permission is: role, principal, and the pool it is on. */
export interface PermissionTarget {
  readonly role: KubevirtPoolRole;
  readonly subject: RbacSubject;
  readonly namespace: string;
  readonly pool: { readonly name: string; readonly uid: string; readonly size: number };
}

/** The subject of a user or group principal (exactly one is set; check() guarantees it). */
export function toRbacSubject(principal: { user?: string | undefined; group?: string | undefined }): RbacSubject {
  return principal.user !== undefined ? { kind: "User", apiGroup: RBAC_GROUP, name: principal.user } : { kind: "Group", apiGroup: RBAC_GROUP, name: principal.group ?? "" };
}

/** `principalId` of a subject: `User:alice`, `Group:vdi-users`. */
export function toPrincipalId(subject: RbacSubject): string {
  return `${subject.kind}:${subject.name}`;
}

/** The pool's VM names, `<pool>-0` .. `<pool>-<size-1>`. Example: `lab`, 2 -> `["lab-0", "lab-1"]`. */
export function toPoolVmNames(pool: string, size: number): string[] {
  return Array.from({ length: size }, (_, index) => `${pool}-${index}`);
}

/**
 * The Role's rules. `UserRole`: read the pool's VMs and VMIs, start, stop and
 * restart the VMs, open their serial console and VNC. `VmPoolAdmin`: that,
 * plus read, update and patch the pool and its `scale` subresource. `list`
 * and `watch` narrowed by name authorize only requests for that one object
 * (`kubectl get vm lab-0 -w`), so they show nothing `get` does not.
 *
 * A pool of size 0 gets no VM rules at all: RBAC reads an empty
 * `resourceNames` as "every name", which would grant every VM in the
 * namespace.
 */
export function toPermissionRules(role: KubevirtPoolRole, pool: string, size: number): PolicyRule[] {
  const vms = toPoolVmNames(pool, size);
  const vmRules: PolicyRule[] =
    vms.length === 0
      ? []
      : [
          { apiGroups: ["kubevirt.io"], resources: ["virtualmachines", "virtualmachineinstances"], resourceNames: vms, verbs: ["get", "list", "watch"] },
          { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachines/start", "virtualmachines/stop", "virtualmachines/restart"], resourceNames: vms, verbs: ["update"] },
          { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachineinstances/console", "virtualmachineinstances/vnc"], resourceNames: vms, verbs: ["get"] },
        ];
  if (role === "UserRole") {
    return vmRules;
  }
  return [
    ...vmRules,
    { apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools"], resourceNames: [pool], verbs: ["get", "list", "watch", "update", "patch"] },
    // KubeVirt's own roles never grant scale; `kubectl scale vmpool` needs it.
    { apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools/scale"], resourceNames: [pool], verbs: ["get", "update", "patch"] },
  ];
}

/**
 * The pool size a live Role covers: the `n` for which the Role's rules are
 * exactly {@link toPermissionRules}`(role, pool, n)`; undefined when they are
 * not what this provider writes for any size (edited out of band).
 */
export function calculateCoveredSize(role: KubevirtPoolRole, pool: string, rules: readonly PolicyRuleLike[]): number | undefined {
  const vmRule = rules.find((rule) => rule.apiGroups?.includes("kubevirt.io") === true);
  const size = vmRule?.resourceNames?.length ?? 0;
  const expected = toPermissionRules(role, pool, size);
  const normalized = rules.map((rule) => ({ apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [], resourceNames: rule.resourceNames ?? [], verbs: rule.verbs ?? [] }));
  return JSON.stringify(normalized) === JSON.stringify(expected) ? size : undefined;
}

/** A rule as the API server returns it (`V1PolicyRule` fits). */
export interface PolicyRuleLike {
  readonly apiGroups?: readonly string[] | undefined;
  readonly resources?: readonly string[] | undefined;
  readonly resourceNames?: readonly string[] | undefined;
  readonly verbs?: readonly string[] | undefined;
}

/** Lowercase letters, digits and single dashes; anything else becomes a dash. */
function toNamePart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The name of both the Role and the RoleBinding (two kinds, so no clash):
 * `vmpools-<pool>-<role>-<user|group>-<principal>`, lowercased. When that is
 * longer than 63 characters, or the principal had to be rewritten to fit a
 * DNS label (`Alice@Example.com`), it is cut and gets an 8-hex hash of the
 * exact pool, role and principal, so two principals never share a name.
 * Example: `lab`, `UserRole`, user `alice` -> `vmpools-lab-userrole-user-alice`.
 */
export function toPermissionObjectName(pool: string, role: KubevirtPoolRole, subject: RbacSubject): string {
  const principal = toNamePart(subject.name);
  const readable = `vmpools-${pool}-${role.toLowerCase()}-${subject.kind.toLowerCase()}-${principal}`;
  if (readable.length <= MAX_PERMISSION_NAME && principal === subject.name && principal !== "") {
    return readable;
  }
  const hash = createHash("sha256").update(`${pool}\n${role}\n${subject.kind}\n${subject.name}`).digest("hex").slice(0, HASH_LENGTH);
  const head = readable.slice(0, MAX_PERMISSION_NAME - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

/** The pool a permission's objects belong to, as an owner reference (garbage-collected with the pool). */
export interface PoolOwner {
  /** `pool.kubevirt.io/<version>` the pool is served in. */
  readonly apiVersion: string;
  readonly name: string;
  readonly uid: string;
}

/** Labels, annotations and owner reference shared by the Role and the RoleBinding. */
function toMetadata(target: PermissionTarget, name: string, owner: PoolOwner, createId: string): V1ObjectMeta {
  return {
    name,
    namespace: target.namespace,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [POOL_LABEL]: target.pool.name },
    annotations: {
      [PERMISSION_ANNOTATION]: `${target.role} for ${target.subject.kind} ${target.subject.name} on VirtualMachinePool ${target.pool.name}`,
      [POOL_UID_ANNOTATION]: target.pool.uid,
      [CREATE_ID_ANNOTATION]: createId,
    },
    // On a cluster with a garbage collector, the grant goes when the pool
    // goes, so a later pool of the same name (and VM names) never inherits it.
    ownerReferences: [{ apiVersion: owner.apiVersion, kind: "VirtualMachinePool", name: owner.name, uid: owner.uid }],
  };
}

/** The Role manifest. */
export function toPermissionRole(target: PermissionTarget, owner: PoolOwner, createId: string): V1Role {
  const name = toPermissionObjectName(target.pool.name, target.role, target.subject);
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "Role",
    metadata: toMetadata(target, name, owner, createId),
    rules: toPermissionRules(target.role, target.pool.name, target.pool.size),
  };
}

/** The RoleBinding manifest: the subject bound to the Role of the same name. */
export function toPermissionRoleBinding(target: PermissionTarget, owner: PoolOwner, createId: string): V1RoleBinding {
  const name = toPermissionObjectName(target.pool.name, target.role, target.subject);
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "RoleBinding",
    metadata: toMetadata(target, name, owner, createId),
    roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name },
    subjects: [{ ...target.subject }],
  };
}

/**
 * Whether a live RoleBinding grants to exactly the permission's subject. Any
 * other set (a second subject slipped in, another user, none) was changed
 * out of band; `update` puts the subject back.
 */
export function hasOnlySubject(subjects: readonly { kind: string; name: string; apiGroup?: string | undefined }[] | undefined, subject: RbacSubject): boolean {
  const only = subjects?.length === 1 ? subjects[0] : undefined;
  return only?.kind === subject.kind && only.name === subject.name && (only.apiGroup ?? RBAC_GROUP) === RBAC_GROUP;
}
