/**
 * What the oVirt backend tests of trusted clusters and pool permissions
 * share: an engine sandbox with its CA file, a client for it with fast
 * retries, and the sandbox's request counters read as totals.
 */
import { OvirtClient } from "../../../../provider/backends/ovirt/client";
import type { OvirtSandbox } from "../../../../sandbox/ovirt-engine/server";
import { startEngineWithCaFile, type EngineUnderTest } from "../../../harness/ovirt-engine";

/** Retries fast enough for tests, as many as the default policy. */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

/** A started sandbox and a client for it, logged in as the seeded admin. */
export interface OvirtFixture {
  readonly under: EngineUnderTest;
  readonly sandbox: OvirtSandbox;
  readonly client: OvirtClient;
  /** Requests with this method to API paths (below `/ovirt-engine/api`) that `path` matches since the last reset; `^` anchors at the API root. */
  count(method: string, path: RegExp): number;
  /** Every request to the API since the last reset, whatever its method (SSO logins excluded). */
  countApi(): number;
  dispose(): Promise<void>;
}

/** Starts a sandbox (with its default seed) and a client for it. */
export async function startOvirtFixture(): Promise<OvirtFixture> {
  const under = await startEngineWithCaFile();
  const sandbox = under.engine;
  const client = new OvirtClient({ url: sandbox.url, username: "admin@internal", password: sandbox.credentials.password, caFile: under.caFile, insecure: false }, FAST_RETRY);
  // `^` anchors at the API root; otherwise the pattern may match anywhere below it.
  const apiPath = (path: RegExp): RegExp => new RegExp(path.source.startsWith("^") ? `^/ovirt-engine/api${path.source.slice(1)}` : `^/ovirt-engine/api.*${path.source}`);
  return {
    under,
    sandbox,
    client,
    count: (method, path) => sandbox.control.countRequests(method, apiPath(path)),
    countApi: () => ["GET", "POST", "PUT", "DELETE"].reduce((n, m) => n + sandbox.control.countRequests(m, /^\/ovirt-engine\/api/), 0),
    dispose: async () => {
      client.close();
      await under.dispose();
    },
  };
}
