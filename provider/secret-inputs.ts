/**
 * Marks the credentials of a pool's initial run as Pulumi secrets before
 * they reach the engine, so Pulumi encrypts them in state even when the
 * program passes plain strings (reference pulumi.md §3: secretness follows
 * inputs). Only those fields become secret, so the rest of `backend` stays
 * readable in previews.
 */
import * as pulumi from "@pulumi/pulumi";

import { INITIAL_RUN_SECRET_PATHS } from "./schemas/ovirt-initial-run";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * `value` with the input at `path` wrapped in `pulumi.secret`. Where an
 * object on the way is not yet known (an Output or a Promise), that whole
 * object becomes secret, which is coarser but never leaks.
 */
function markSecretAt(value: unknown, path: readonly string[]): unknown {
  if (value === undefined || value === null) {
    return value;
  }
  if (path.length === 0 || !isPlainObject(value)) {
    return pulumi.secret(value as pulumi.Input<unknown>);
  }
  const [key = "", ...rest] = path;
  if (!(key in value)) {
    return value;
  }
  return { ...value, [key]: markSecretAt(value[key], rest) };
}

/**
 * A pool's `backend` argument with `vm.initialRun`'s credentials
 * (`cloudInit.user.password`, `sysprep.adminPassword`, `sysprep.customFile`)
 * as secrets. Example: `{kind: "ovirt", vm: {initialRun: {sysprep:
 * {adminPassword: "pw"}}}}` -> the same with `adminPassword:
 * pulumi.secret("pw")`. Other backends are returned as they are.
 */
export function markBackendSecrets<T>(backend: pulumi.Input<T>): pulumi.Input<T> {
  if (!isPlainObject(backend)) {
    // Not known yet: the whole backend may hold credentials.
    return pulumi.output(backend).apply((b) => (hasInitialRun(b) ? pulumi.secret(b) : b)) as unknown as pulumi.Input<T>;
  }
  if (backend["kind"] !== "ovirt") {
    return backend;
  }
  let result: unknown = backend;
  for (const path of INITIAL_RUN_SECRET_PATHS) {
    result = markSecretAt(result, ["vm", "initialRun", ...path]);
  }
  return result as pulumi.Input<T>;
}

function hasInitialRun(backend: unknown): boolean {
  const vm = isPlainObject(backend) ? backend["vm"] : undefined;
  return isPlainObject(vm) && vm["initialRun"] !== undefined;
}
