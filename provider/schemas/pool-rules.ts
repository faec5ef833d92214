/**
 * Cross-field rules every pool follows, whatever the backend. Pure functions
 * returning every problem, so `check()` reports them all at once.
 */
import type { RuleIssue } from "./kubevirt-rules";

/** The fields the prestart rules read. */
export interface PrestartFields {
  readonly size: number;
  readonly prestarted: number;
  readonly type: "automatic" | "manual";
}

/**
 * `0 <= prestarted <= size`, the rule the engine's UI enforces (the REST API
 * itself only refuses `prestarted > 2 x size` on create), and prestarted VMs
 * only in automatic pools, where a VM returns to the pool after use: both of
 * {@link validatePrestartedRange} and {@link validatePrestartedPoolType}.
 */
export function validatePrestarted(fields: PrestartFields): RuleIssue[] {
  return [...validatePrestartedRange(fields), ...validatePrestartedPoolType(fields)];
}

/**
 * At most as many prestarted VMs as the pool has (reference §2.3; seed 000:
 * "between 0 and the total number of virtual machines"). A negative count is
 * the `prestarted` field's own error.
 */
export function validatePrestartedRange(fields: Pick<PrestartFields, "size" | "prestarted">): RuleIssue[] {
  if (fields.size < 0 || fields.prestarted <= fields.size) {
    // An invalid size is reported on its own.
    return [];
  }
  return [{ path: ["prestarted"], value: fields.prestarted, message: `must be between 0 and the pool's size (${fields.size})` }];
}

/**
 * Prestarted VMs only in automatic pools (seed 000: "Only automatic pools can
 * have prestarted virtual machines"). The engine's pool monitor would start
 * them in a manual pool too, where nobody returns them.
 */
export function validatePrestartedPoolType(fields: Pick<PrestartFields, "size" | "prestarted" | "type">): RuleIssue[] {
  if (fields.size < 0 || fields.prestarted <= 0 || fields.type !== "manual") {
    return [];
  }
  return [{ path: ["prestarted"], value: fields.prestarted, message: "must be 0 for a manual pool: prestarted VMs are for automatic pools, whose VMs return to the pool after use" }];
}

/**
 * A user may hold at most as many VMs as the pool has: the engine's web UI
 * caps `max_user_vms` at the pool's size, its REST API does not (reference
 * §2.3). `check()` leaves this to the policy pack, since the engine accepts
 * it; the 1..32767 range is the `maxVmsPerUser` field's own rule. An empty
 * pool is not compared.
 */
export function validateMaxVmsPerUser(fields: { readonly maxVmsPerUser: number; readonly size: number }): RuleIssue[] {
  if (fields.size < 1 || fields.maxVmsPerUser <= fields.size) {
    return [];
  }
  return [{ path: ["maxVmsPerUser"], value: fields.maxVmsPerUser, message: `must not exceed the pool's size (${fields.size}): a user cannot hold more VMs than the pool has` }];
}

/** `[protocol://]host[:port]`, the form the engine accepts for `display.proxy`. */
export const SPICE_PROXY = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::(\d{1,5}))?$/;

/** Checks a SPICE proxy address. Example: `http://proxy.example.com:3128` passes; `proxy:99999` does not. */
export function validateSpiceProxy(proxy: string | undefined): RuleIssue[] {
  if (proxy === undefined) {
    return [];
  }
  const match = SPICE_PROXY.exec(proxy);
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (match === null || (port !== undefined && (port < 1 || port > 65_535))) {
    return [{ path: ["backend", "spiceProxy"], value: proxy, message: "must be a SPICE proxy address protocol://host:port, e.g. http://proxy.example.com:3128 (port 1-65535)" }];
  }
  return [];
}
