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
 * only in automatic pools, where a VM returns to the pool after use.
 */
export function validatePrestarted(fields: PrestartFields): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (fields.size < 0) {
    // The size itself is invalid and reported on its own.
    return issues;
  }
  if (fields.prestarted > fields.size) {
    issues.push({ path: ["prestarted"], value: fields.prestarted, message: `must be between 0 and the pool's size (${fields.size})` });
  }
  if (fields.prestarted > 0 && fields.type === "manual") {
    issues.push({ path: ["prestarted"], value: fields.prestarted, message: "must be 0 for a manual pool: prestarted VMs are for automatic pools, whose VMs return to the pool after use" });
  }
  return issues;
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
