/**
 * A `VmPool`'s fields as policies read them, one at a time through the
 * provider's own field schemas. The engine hands a policy the inputs
 * `check()` returned: parsed with defaults when they were valid, raw (with
 * defaults filled in) when they were not or held unknowns. So a whole-object
 * parse would lose every pool `check()` refused, exactly those a review
 * must see; read field by field, each rule runs on what is known.
 */
import { z } from "zod";

import { findUnknownPaths } from "../../provider/check";
import type { RuleIssue } from "../../provider/schemas/kubevirt-rules";
import type { TrustedPlacement } from "../../provider/schemas/trusted-cluster";
import { calculateDefaultPrestarted, kubevirtBackendSchema, ovirtBackendSchema, vmPoolInputsSchema } from "../../provider/schemas/vm-pool";
import { vmoperatorBackendSchema } from "../../provider/schemas/vmoperator-backend";
import { isUnknown, readPath, type PlainProps, type PlainValue } from "./inputs";

/** One field: its value, unknown during preview, absent, or invalid with the schema's issues. */
export type Field<T> = { readonly state: "known"; readonly value: T } | { readonly state: "unknown" } | { readonly state: "absent" } | { readonly state: "invalid"; readonly issues: readonly RuleIssue[] };

/** The value of a known field, else undefined. */
export function known<T>(field: Field<T>): T | undefined {
  return field.state === "known" ? field.value : undefined;
}

/** The fields of a pool the policies read. */
export interface VmPoolFields {
  /** The pool's name on the backend. */
  readonly name: Field<string>;
  /** VMs in the pool. */
  readonly size: Field<number>;
  /** Prestarted VMs; when unset, what the provider derives (0, or on KubeVirt what the VM spec means). */
  readonly prestarted: Field<number>;
  /** VMs one user may hold. */
  readonly maxVmsPerUser: Field<number>;
  /** `automatic` or `manual`. */
  readonly type: Field<"automatic" | "manual">;
  /** The provider's delete guard. */
  readonly deleteProtection: Field<boolean>;
  /** The trusted cluster's placement; unknown while that cluster is still to be created. */
  readonly trustedCluster: Field<TrustedPlacement>;
  /** Backend kind. */
  readonly kind: Field<"ovirt" | "kubevirt" | "vmoperator">;
  /** Named connection; absent for the default one. */
  readonly connection: Field<string>;
  /** KubeVirt or VM-Operator namespace (default `default`). */
  readonly namespace: Field<string>;
  /** oVirt cluster. */
  readonly cluster: Field<string>;
  /** oVirt template. */
  readonly template: Field<string>;
  /** oVirt SPICE proxy. */
  readonly spiceProxy: Field<string>;
  /** KubeVirt VM labels (the selector's source). */
  readonly vmLabels: Field<Record<string, string>>;
  /** KubeVirt VM annotations. */
  readonly vmAnnotations: Field<Record<string, string>>;
  /** KubeVirt `VirtualMachineSpec`. */
  readonly vmSpec: Field<Record<string, unknown>>;
}

const common = vmPoolInputsSchema.in.shape;
const ovirt = ovirtBackendSchema.shape;
const kubevirt = kubevirtBackendSchema.shape;
const template = kubevirt.virtualMachineTemplate.shape;
const metadata = template.metadata.unwrap().shape;
const vmoperator = vmoperatorBackendSchema.shape;
const kindSchema = z.union([kubevirt.kind, ovirt.kind, vmoperator.kind]);

/** Reads one value through its field schema; `path` locates it for messages. */
export function readField<T>(schema: z.ZodType<T>, value: PlainValue, path: readonly (string | number)[]): Field<Exclude<T, undefined>> {
  if (isUnknown(value) || findUnknownPaths(value).length > 0) {
    return { state: "unknown" };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    return { state: "invalid", issues: parsed.error.issues.map((issue) => ({ path: [...path, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: issue.message, value })) };
  }
  // An optional field's schema answers undefined when the value is absent.
  return parsed.data === undefined ? { state: "absent" } : { state: "known", value: parsed.data as Exclude<T, undefined> };
}

/** Reads a pool's fields from the props a policy received. */
export function readVmPoolFields(props: PlainProps): VmPoolFields {
  const backend = props["backend"];
  const kind = readField(kindSchema, readPath(backend, "kind"), ["backend", "kind"]);
  const isOvirt = known(kind) === "ovirt";
  const isKubevirt = known(kind) === "kubevirt";
  const isVmoperator = known(kind) === "vmoperator";
  const absent = { state: "absent" } as const;
  const size = readField(common.size, props["size"], ["size"]);
  const vmSpec = isKubevirt ? readField(template.spec, readPath(backend, "virtualMachineTemplate", "spec"), ["backend", "virtualMachineTemplate", "spec"]) : absent;
  return {
    name: readField(common.name, props["name"], ["name"]),
    size,
    prestarted: readPrestarted(props["prestarted"], size, kind, vmSpec),
    maxVmsPerUser: readField(common.maxVmsPerUser, props["maxVmsPerUser"], ["maxVmsPerUser"]),
    type: readField(common.type, props["type"], ["type"]),
    deleteProtection: readField(common.deleteProtection, props["deleteProtection"], ["deleteProtection"]),
    trustedCluster: readField(common.trustedCluster, props["trustedCluster"], ["trustedCluster"]),
    kind,
    connection: readField(isKubevirt ? kubevirt.connection : ovirt.connection, readPath(backend, "connection"), ["backend", "connection"]),
    namespace: isKubevirt || isVmoperator ? readField(kubevirt.namespace, readPath(backend, "namespace"), ["backend", "namespace"]) : absent,
    cluster: isOvirt ? readField(ovirt.cluster, readPath(backend, "cluster"), ["backend", "cluster"]) : absent,
    template: isOvirt ? readField(ovirt.template, readPath(backend, "template"), ["backend", "template"]) : absent,
    spiceProxy: isOvirt ? readField(ovirt.spiceProxy, readPath(backend, "spiceProxy"), ["backend", "spiceProxy"]) : absent,
    vmLabels: isKubevirt ? readField(metadata.labels, readPath(backend, "virtualMachineTemplate", "metadata", "labels"), ["backend", "virtualMachineTemplate", "metadata", "labels"]) : absent,
    vmAnnotations: isKubevirt ? readField(metadata.annotations, readPath(backend, "virtualMachineTemplate", "metadata", "annotations"), ["backend", "virtualMachineTemplate", "metadata", "annotations"]) : absent,
    vmSpec,
  };
}

/** `prestarted` as given, else derived as the provider derives it (unknown while what it derives from is). */
function readPrestarted(value: PlainValue, size: Field<number>, kind: Field<"ovirt" | "kubevirt" | "vmoperator">, vmSpec: Field<Record<string, unknown>>): Field<number> {
  const given = readField(common.prestarted, value, ["prestarted"]);
  if (given.state !== "absent") {
    return given;
  }
  const sizeValue = known(size);
  const kindValue = known(kind);
  if (sizeValue === undefined || kindValue === undefined || (kindValue === "kubevirt" && vmSpec.state !== "known")) {
    return { state: "unknown" };
  }
  const spec = known(vmSpec);
  return { state: "known", value: calculateDefaultPrestarted({ size: sizeValue, backend: { kind: kindValue, ...(spec === undefined ? {} : { virtualMachineTemplate: { spec } }) } }) };
}
