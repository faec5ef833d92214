/**
 * Conformance, reference §1.1 (SSO token) and §1.2 (Basic auth): the exact
 * SSO bodies and error shapes, Bearer tokens that expire and can be
 * revoked, deprecated Basic auth, and 401 with `WWW-Authenticate`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import { bodyOf, passwordGrant, ssoToken } from "./conformance-1-7-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

const TTL_MS = 60_000;
const WRONG_PASSWORD_REASON = "Unable to log in. Verify your login information or contact the system administrator.";

describe("§1.1–§1.2 authentication", () => {
  const clock = new ManualClock();
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ tokenTtlMs: TTL_MS, clock });
  });
  afterAll(async () => t?.close());

  it("§1.1 issues a token: 200 with exactly access_token, scope, exp (valid-to in epoch ms, as a string) and token_type bearer", async () => {
    const res = await ssoToken(t, passwordGrant("admin@internal", "sandbox-admin"));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    const body = bodyOf(res);
    expect(Object.keys(body).sort()).toEqual(["access_token", "exp", "scope", "token_type"]);
    expect(body).toEqual({ access_token: body["access_token"], scope: "ovirt-app-api", exp: String(clock.now() + TTL_MS), token_type: "bearer" });
    expect(body["access_token"]).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('§1.1 answers scope "" when the token request has no scope', async () => {
    const res = await ssoToken(t, { grant_type: "password", username: "alice@internal", password: "alice-password" });
    expect(res.status).toBe(200);
    const body = bodyOf(res);
    expect(body).toEqual({ access_token: body["access_token"], scope: "", exp: String(clock.now() + TTL_MS), token_type: "bearer" });
  });

  it("§1.1 gives exp = Long.MAX_VALUE when the authn record has no expiry", async () => {
    const untimed = await startTestSandbox({ tls: false });
    try {
      const res = await ssoToken(untimed, passwordGrant("admin@internal", "sandbox-admin"));
      expect(res.status).toBe(200);
      expect(bodyOf(res)["exp"]).toBe("9223372036854775807");
    } finally {
      await untimed.close();
    }
  });

  it("§1.1 refuses a token request whose Accept is not exactly application/json with 400 invalid_request", async () => {
    for (const headers of [{ Accept: "application/json, text/plain" }, { Accept: "application/xml" }, { Accept: "Application/JSON" }, {}]) {
      const res = await ssoToken(t, passwordGrant("admin@internal", "sandbox-admin"), headers);
      expect(res.status, JSON.stringify(headers)).toBe(400);
      expect(res.json).toEqual({ error_code: "invalid_request", error: "Missing parameter: 'Accept Header'" });
    }
  });

  it("§1.1 answers a wrong password with 400 access_denied as {error_code, error} for the ovirt-app-api scope", async () => {
    const res = await ssoToken(t, passwordGrant("admin@internal", "wrong"));
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toEqual({ error_code: "access_denied", error: `Cannot authenticate user 'admin@internal': ${WRONG_PASSWORD_REASON}.` });
  });

  it("§1.1 answers a wrong password as {error, error_description} for any other scope", async () => {
    for (const scope of ["", "ovirt-app-admin", "ovirt-app-api ovirt-app-portal"]) {
      const res = await ssoToken(t, passwordGrant("admin@internal", "wrong", scope));
      expect(res.status, scope).toBe(400);
      expect(res.json).toEqual({ error: "access_denied", error_description: `Cannot authenticate user 'admin@internal': ${WRONG_PASSWORD_REASON}.` });
    }
  });

  it("§1.1 answers an unknown user like a wrong password (access_denied)", async () => {
    const res = await ssoToken(t, passwordGrant("nobody@internal", "whatever"));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: "access_denied", error: `Cannot authenticate user 'nobody@internal': ${WRONG_PASSWORD_REASON}.` });
  });

  it("§1.1 refuses a login without a valid profile with access_denied 'No valid profile found in credentials.'", async () => {
    const bare = await ssoToken(t, passwordGrant("admin", "sandbox-admin"));
    expect(bare.status).toBe(400);
    expect(bare.json).toEqual({ error_code: "access_denied", error: "Cannot authenticate user 'admin@N/A': No valid profile found in credentials.." });
    const unknown = await ssoToken(t, passwordGrant("admin@nowhere", "sandbox-admin"));
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ error_code: "access_denied", error: "Cannot authenticate user 'admin@nowhere': No valid profile found in credentials.." });
  });

  it("§1.1 checks the credentials before the Accept header (a wrong password with a wrong Accept is access_denied)", async () => {
    const res = await ssoToken(t, passwordGrant("admin@internal", "wrong"), { Accept: "text/html" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: "access_denied", error: `Cannot authenticate user 'admin@internal': ${WRONG_PASSWORD_REASON}.` });
  });

  it("§1.1 refuses an unknown grant type with 400 unsupported_grant_type", async () => {
    const api = await ssoToken(t, { grant_type: "client_credentials", scope: "ovirt-app-api" });
    expect(api.status).toBe(400);
    expect(api.json).toEqual({ error_code: "unsupported_grant_type", error: "The authorization grant type is not supported by the authorization server." });
    const other = await ssoToken(t, { grant_type: "refresh_token", scope: "" });
    expect(other.status).toBe(400);
    expect(other.json).toEqual({ error: "unsupported_grant_type", error_description: "The authorization grant type is not supported by the authorization server." });
  });

  it("§1.1 refuses a token request without grant_type with invalid_request Missing parameter: 'grant_type'", async () => {
    const res = await ssoToken(t, { scope: "ovirt-app-api", username: "admin@internal", password: "sandbox-admin" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: "invalid_request", error: "Missing parameter: 'grant_type'" });
  });

  it("§1.1 refuses a password grant without username or password with invalid_request", async () => {
    const noUser = await ssoToken(t, { grant_type: "password", scope: "ovirt-app-api", password: "x" });
    expect(noUser.status).toBe(400);
    expect(noUser.json).toEqual({ error_code: "invalid_request", error: "Missing parameter: 'username'" });
    const noPassword = await ssoToken(t, { grant_type: "password", scope: "ovirt-app-api", username: "admin@internal" });
    expect(noPassword.status).toBe(400);
    expect(noPassword.json).toEqual({ error_code: "invalid_request", error: "Missing parameter: 'password'" });
  });

  it("§1.1 accepts the authorization_code grant type (it asks for the client id, it does not answer unsupported_grant_type)", async () => {
    const res = await ssoToken(t, { grant_type: "authorization_code", scope: "ovirt-app-api", code: "abc" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: "invalid_request", error: "Missing parameter: 'client_id'" });
  });

  it("§1.1 accepts the urn:ovirt:params:oauth:grant-type:http grant type, which fails with a bare 401 when nothing can be negotiated (inferred)", async () => {
    const res = await ssoToken(t, { grant_type: "urn:ovirt:params:oauth:grant-type:http", scope: "ovirt-app-api" });
    expect(res.status).toBe(401);
    expect(res.text).toBe("");
  });

  it("§1.1 authenticates API requests with Authorization: Bearer <access_token>", async () => {
    const token = await t.token("alice@internal", "alice-password");
    const res = await t.api("GET", "/clusters", { auth: { bearer: token } });
    expect(res.status).toBe(200);
    const users = await t.api("GET", "/users?search=usrname%3Dalice%40internal-authz", { auth: { bearer: token } });
    expect(users.status).toBe(200);
  });

  it("§1.1 answers an unknown Bearer token with 401", async () => {
    const res = await t.api("GET", "/clusters", { auth: { bearer: "not-a-token" } });
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Basic realm="RESTAPI"');
  });

  it("§1.1 answers an expired token with 401 (tokens cannot be refreshed; a new one works)", async () => {
    const token = await t.token("bob@internal", "bob-password");
    clock.advance(TTL_MS - 1);
    expect((await t.api("GET", "/clusters", { auth: { bearer: token } })).status).toBe(200);
    t.sandbox.control.advanceClock(1);
    const expired = await t.api("GET", "/clusters", { auth: { bearer: token } });
    expect(expired.status).toBe(401);
    expect(expired.headers["www-authenticate"]).toBe('Basic realm="RESTAPI"');
    const fresh = await t.token("bob@internal", "bob-password");
    expect((await t.api("GET", "/clusters", { auth: { bearer: fresh } })).status).toBe(200);
  });

  it("§1.1 control.expireTokens() expires every issued token at once", async () => {
    const alice = await t.token("alice@internal", "alice-password");
    const bob = await t.token("bob@internal", "bob-password");
    t.sandbox.control.expireTokens();
    expect((await t.api("GET", "/clusters", { auth: { bearer: alice } })).status).toBe(401);
    expect((await t.api("GET", "/clusters", { auth: { bearer: bob } })).status).toBe(401);
    expect((await t.api("GET", "/clusters", { auth: { bearer: await t.token("bob@internal", "bob-password") } })).status).toBe(200);
  });

  it("§1.1 POST /ovirt-engine/services/sso-logout with scope= and token= revokes that token only", async () => {
    const revoked = await t.token("alice@internal", "alice-password");
    const kept = await t.token("alice@internal", "alice-password");
    const res = await t.raw("POST", "/ovirt-engine/services/sso-logout", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ scope: "", token: revoked }).toString(),
    });
    expect(res.status).toBe(200);
    // A JSON object, which the Python SDK parses when it closes a connection.
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toEqual({});
    expect((await t.api("GET", "/clusters", { auth: { bearer: revoked } })).status).toBe(401);
    expect((await t.api("GET", "/clusters", { auth: { bearer: kept } })).status).toBe(200);
  });

  it("§1.2 accepts Basic auth with username@domain:password", async () => {
    const res = await t.api("GET", "/clusters", { auth: { basic: ["admin@internal", "sandbox-admin"] } });
    expect(res.status).toBe(200);
    const alice = await t.api("GET", "/clusters", { auth: { basic: ["alice@internal", "alice-password"] } });
    expect(alice.status).toBe(200);
  });

  it("§1.2 answers Basic auth with a wrong password or without a profile with 401 and WWW-Authenticate", async () => {
    for (const basic of [
      ["admin@internal", "wrong"],
      ["admin", "sandbox-admin"],
    ] as [string, string][]) {
      const res = await t.api("GET", "/clusters", { auth: { basic } });
      expect(res.status, basic[0]).toBe(401);
      expect(res.headers["www-authenticate"]).toBe('Basic realm="RESTAPI"');
    }
  });

  it('§1.2 answers a request without credentials with 401 and WWW-Authenticate: Basic realm="RESTAPI"', async () => {
    for (const path of ["/ovirt-engine/api", "/ovirt-engine/api/vmpools", "/ovirt-engine/api/v4/clusters"]) {
      const res = await t.raw("GET", path, { headers: { Accept: "application/json" } });
      expect(res.status, path).toBe(401);
      expect(res.headers["www-authenticate"]).toBe('Basic realm="RESTAPI"');
    }
  });
});
