/**
 * Engine calls as the sandbox's request counters saw them, split into API
 * reads, API writes and SSO requests (logins and logouts).
 */
import type { SandboxControl } from "../../sandbox/ovirt-engine/control";

/** Requests one operation sent to the engine. */
export interface EngineCalls {
  /** Every request: API and SSO. */
  readonly total: number;
  /** API GETs. */
  readonly reads: number;
  /** API POST, PUT and DELETE. */
  readonly writes: number;
  /** SSO token requests and logouts. */
  readonly sso: number;
}

const API = /^\/ovirt-engine\/api(\/|$)/;

/** Sums the sandbox's counters since their last reset. */
export function countEngineCalls(control: SandboxControl): EngineCalls {
  let reads = 0;
  let writes = 0;
  let sso = 0;
  for (const [key, n] of Object.entries(control.requestCounts())) {
    const [method = "", path = ""] = key.split(" ");
    if (!API.test(path)) {
      sso += n;
    } else if (method === "GET") {
      reads += n;
    } else {
      writes += n;
    }
  }
  return { total: reads + writes + sso, reads, writes, sso };
}

/** Runs `operation` with the counters reset first; resolves with its result and the calls it made. */
export async function measureCalls<T>(control: SandboxControl, operation: () => Promise<T>): Promise<{ result: T; calls: EngineCalls }> {
  control.resetRequestCounts();
  const result = await operation();
  return { result, calls: countEngineCalls(control) };
}
