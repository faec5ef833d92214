/**
 * The provider's oVirt REST client against the engine sandbox: login, TLS
 * verification, re-login on 401, retries, and fault translation.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { OvirtClient, type OvirtConnection } from "../../../../provider/backends/ovirt/client";
import { BackendError, ConfigurationError, NotFoundError } from "../../../../provider/errors";
import { startOvirtSandbox, type OvirtSandbox } from "../../../../sandbox/ovirt-engine/server";

const ctx = { backend: "ovirt" as const, operation: "test", resource: "test" };
const FAST = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe("OvirtClient against the engine sandbox", () => {
  let sandbox: OvirtSandbox;
  let caFile: string;
  let connection: OvirtConnection;

  beforeAll(async () => {
    sandbox = await startOvirtSandbox();
    caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-ca-")), "ca.pem");
    fs.writeFileSync(caFile, sandbox.caPem ?? "");
    connection = { url: sandbox.url, username: "admin@internal", password: sandbox.credentials.password, caFile, insecure: false };
  });
  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(path.dirname(caFile), { recursive: true, force: true });
  });
  beforeEach(() => {
    sandbox.control.clearFaults();
    sandbox.control.resetRequestCounts();
  });

  const sso = /^\/ovirt-engine\/sso\/oauth\/token$/;

  it("logs in through SSO once and verifies TLS with the CA file", async () => {
    const client = new OvirtClient(connection, FAST);
    const first = await client.call(ctx, "GET", "/clusters", { idempotent: true });
    await client.call(ctx, "GET", "/datacenters", { idempotent: true });
    client.close();
    expect(first.status).toBe(200);
    expect((first.body as { cluster: { name: string }[] }).cluster.map((c) => c.name)).toEqual(["Default"]);
    expect(sandbox.control.countRequests("POST", sso)).toBe(1);
  });

  it("refuses an engine whose certificate it cannot verify, naming the settings that fix it", async () => {
    const client = new OvirtClient({ ...connection, caFile: undefined }, FAST);
    const err: unknown = await client.call(ctx, "GET", "/clusters", { idempotent: true }).catch((e: unknown) => e);
    client.close();
    expect(ConfigurationError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain("set 'vmpools:ovirtCaFile' to the engine's CA certificate, or 'vmpools:ovirtInsecure' to true to skip verification");
  });

  it("skips verification only when asked to by name", async () => {
    const client = new OvirtClient({ ...connection, caFile: undefined, insecure: true }, FAST);
    await expect(client.call(ctx, "GET", "/clusters", { idempotent: true })).resolves.toMatchObject({ status: 200 });
    client.close();
  });

  it("reports a refused login with the engine's own code and message", async () => {
    const client = new OvirtClient({ ...connection, password: "wrong" }, FAST);
    await expect(client.call(ctx, "GET", "/clusters", { idempotent: true })).rejects.toThrow(
      "the engine refused the login of 'admin@internal' (access_denied: Cannot authenticate user 'admin@internal': Unable to log in. Verify your login information or contact the system administrator..); check 'vmpools:ovirtUsername' and 'vmpools:ovirtPassword' (or OVIRT_USERNAME / OVIRT_PASSWORD)",
    );
    client.close();
  });

  it("logs in again once when the token expires mid-run", async () => {
    const client = new OvirtClient(connection, FAST);
    await client.call(ctx, "GET", "/clusters", { idempotent: true });
    sandbox.control.expireTokens();
    await expect(client.call(ctx, "GET", "/clusters", { idempotent: true })).resolves.toMatchObject({ status: 200 });
    client.close();
    expect(sandbox.control.countRequests("POST", sso)).toBe(2);
    expect(sandbox.control.countRequests("GET", /\/clusters$/)).toBe(3);
  });

  it("retries 503 answers with backoff until one succeeds", async () => {
    sandbox.control.addFault({ method: "GET", path: "/clusters$", kind: "error", status: 503, times: 2 });
    const client = new OvirtClient(connection, FAST);
    await expect(client.call(ctx, "GET", "/clusters", { idempotent: true })).resolves.toMatchObject({ status: 200 });
    client.close();
    expect(sandbox.control.countRequests("GET", /\/clusters$/)).toBe(3);
  });

  it("retries a 409 'Related operation is currently in progress'", async () => {
    sandbox.control.addFault({ method: "GET", path: "/datacenters$", kind: "conflict", times: 1 });
    const client = new OvirtClient(connection, FAST);
    await expect(client.call(ctx, "GET", "/datacenters", { idempotent: true })).resolves.toMatchObject({ status: 200 });
    client.close();
    expect(sandbox.control.countRequests("GET", /\/datacenters$/)).toBe(2);
  });

  it("never repeats a non-idempotent call whose connection dropped after it was sent", async () => {
    sandbox.control.addFault({ method: "POST", path: "/vmpools$", kind: "drop", phase: "after", times: 1 });
    const client = new OvirtClient(connection, FAST);
    const err: unknown = await client
      .call(ctx, "POST", "/vmpools", { idempotent: false, body: { name: "dropped", size: 1, cluster: { name: "Default" }, template: { name: "rhel9-desktop" } } })
      .catch((e: unknown) => e);
    client.close();
    expect(BackendError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/the connection to the engine failed after the request was sent, so the engine may have run it/);
    expect(sandbox.control.countRequests("POST", /\/vmpools$/)).toBe(1);
    // The engine did run it: exactly one pool exists.
    expect(sandbox.control.pools().filter((p) => p.name === "dropped")).toHaveLength(1);
  });

  it("never repeats a non-idempotent call answered 504 after the engine ran it, but repeats an idempotent one", async () => {
    sandbox.control.addFault({ method: "POST", path: "/vmpools$", kind: "error", status: 504, phase: "after", times: 1 });
    sandbox.control.addFault({ method: "GET", path: "/clusters$", kind: "error", status: 502, phase: "after", times: 1 });
    const client = new OvirtClient(connection, FAST);
    const err: unknown = await client
      .call(ctx, "POST", "/vmpools", { idempotent: false, body: { name: "gateway", size: 1, cluster: { name: "Default" }, template: { name: "rhel9-desktop" } } })
      .catch((e: unknown) => e);
    await expect(client.call(ctx, "GET", "/clusters", { idempotent: true })).resolves.toMatchObject({ status: 200 });
    client.close();
    expect(BackendError.isInstance(err) && err.status).toBe(504);
    expect(sandbox.control.countRequests("POST", /\/vmpools$/)).toBe(1);
    expect(sandbox.control.pools().filter((p) => p.name === "gateway")).toHaveLength(1);
    expect(sandbox.control.countRequests("GET", /\/clusters$/)).toBe(2);
  });

  it("translates a missing id into NotFoundError and an engine fault into a BackendError with its text", async () => {
    const client = new OvirtClient(connection, FAST);
    const missing: unknown = await client.call(ctx, "GET", "/vmpools/00000000-0000-0000-0000-00000000beef", { idempotent: true }).catch((e: unknown) => e);
    expect(NotFoundError.isInstance(missing)).toBe(true);
    const refused: unknown = await client
      .call(ctx, "POST", "/vmpools", { idempotent: false, body: { name: "empty", size: 0, cluster: { name: "Default" }, template: { name: "rhel9-desktop" } } })
      .catch((e: unknown) => e);
    client.close();
    expect(BackendError.isInstance(refused)).toBe(true);
    expect((refused as BackendError).status).toBe(400);
    expect((refused as BackendError).retryable).toBe(false);
    expect((refused as Error).message).toBe("ovirt test of test failed: Operation Failed: [Cannot create Pool with 0 VMs]");
  });
});
