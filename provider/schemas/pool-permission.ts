/**
 * Inputs of a `PoolPermission`: one role for one user or group on one pool.
 * On oVirt an engine permission on the `vm_pool`; on KubeVirt a least-
 * privilege Role and RoleBinding in the pool's namespace.
 */
import { z } from "zod";

import { namespaceSchema } from "./kubernetes-names";
import type { RuleIssue } from "./kubevirt-rules";
import { validateKubevirtPoolRole, validatePermissionPrincipal } from "./permission-rules";
import { validateVmoperatorPermission } from "./vmoperator-permission";

/** The pool a permission is on, as the `VmPool`'s outputs name it. */
export const poolReferenceSchema = z.strictObject({
  /** The pool's name on the backend. */
  name: z.string().min(1, "must name a pool"),
  /** The backend's id of the pool's incarnation (oVirt pool id, KubeVirt `metadata.uid`): a recreated pool is another pool. */
  uid: z.string().min(1, "must be the pool's uid (pass the VmPool resource, not its name)"),
  /** The pool's size (KubeVirt): the Role names each of its VMs, `<pool>-0` .. `<pool>-<size-1>`. @default 0 */
  size: z.number().int().min(0).optional(),
});

/** Inputs of a `PoolPermission` as the provider receives them, after defaults. */
export const poolPermissionInputsSchema = z
  .strictObject({
    /** The role, e.g. `UserRole` or `VmPoolAdmin`. Changing it replaces the permission. */
    role: z.string().min(1, "must name a role such as 'UserRole' or 'VmPoolAdmin'"),
    /** The user, as the engine names it (`alice@internal-authz`) or as Kubernetes authenticates it. */
    user: z.string().min(1).optional(),
    /** The group, e.g. `vdi-users`, or the engine's `Everyone`. */
    group: z.string().min(1).optional(),
    /** The pool. */
    pool: poolReferenceSchema,
    /**
     * VM-Operator only: what the user or role may do with the VM assigned
     * to them (`start`, `stop`, `reset`, `accessConsole`, `*`).
     * @default from `role`: UserRole `["accessConsole", "start"]`, VmPoolAdmin `["*"]`
     */
    may: z.array(z.string()).optional(),
    /** Where the pool lives: copied from the pool, so a permission always goes with its pool. */
    backend: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("ovirt"), connection: z.string().min(1).optional() }),
      z.strictObject({ kind: z.literal("kubevirt"), connection: z.string().min(1).optional(), namespace: namespaceSchema.default("default") }),
      z.strictObject({ kind: z.literal("vmoperator"), connection: z.string().min(1).optional(), namespace: namespaceSchema.default("default") }),
    ]),
  })
  .superRefine((inputs, ctx) => {
    const issues: RuleIssue[] = [
      ...validatePermissionPrincipal(inputs),
      ...(inputs.backend.kind === "kubevirt" ? validateKubevirtPoolRole(inputs.role) : []),
      ...validateVmoperatorPermission({ ...inputs, kind: inputs.backend.kind }),
    ];
    for (const issue of issues) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, input: issue.value });
    }
  });

/** Inputs of a `PoolPermission` after defaults. */
export type PoolPermissionInputs = z.infer<typeof poolPermissionInputsSchema>;

/** Defaults on inputs that did not parse (preview unknowns), so state and diffs show them anyway. */
export function applyPoolPermissionDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  const backend = raw["backend"];
  const kind = typeof backend === "object" && backend !== null ? (backend as Record<string, unknown>)["kind"] : undefined;
  if (kind === "kubevirt" || kind === "vmoperator") {
    return { ...raw, backend: { namespace: "default", ...(backend as Record<string, unknown>) } };
  }
  return { ...raw };
}
