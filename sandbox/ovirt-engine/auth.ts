/**
 * Authentication as the engine does it (reference §1.1, §1.2): the SSO
 * password grant at `/ovirt-engine/sso/oauth/token` with its exact Accept
 * check and bodies, Bearer tokens that expire, deprecated Basic auth, 401
 * with `WWW-Authenticate` otherwise, and `sso-logout`.
 */
import { randomBytes } from "node:crypto";

import type { Engine } from "./engine";
import { unauthorized } from "./faults";
import type { User } from "./model";

/** The one scope the REST API accepts. */
export const API_SCOPE = "ovirt-app-api";

interface Session {
  userId: string;
  /** Epoch ms on the engine clock; `Infinity` never expires. */
  validTo: number;
}

/** An SSO answer: status and JSON body. */
export interface SsoResponse {
  status: number;
  body: Record<string, string>;
}

/** Issued tokens and how to check credentials. */
export class Authenticator {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly engine: Engine,
    /** Token lifetime in clock ms; undefined means the authn record has no expiry. */
    private readonly tokenTtlMs: number | undefined,
  ) {}

  /** Finds a user by profile login `<principal>@<profile>` and password. */
  private login(username: string, password: string): User | undefined {
    const at = username.lastIndexOf("@");
    const principal = at < 0 ? username : username.slice(0, at);
    const profile = at < 0 ? "" : username.slice(at + 1);
    return [...this.engine.store.users.values()].find((u) => u.principal === principal && u.profile === profile && u.password === password);
  }

  /**
   * `POST /ovirt-engine/sso/oauth/token`. Errors are 400 with
   * `{error_code, error}` for the API scope and `{error, error_description}`
   * otherwise.
   */
  token(accept: string | undefined, form: URLSearchParams): SsoResponse {
    const scope = form.get("scope") ?? "";
    const apiScope = scope.split(" ").includes(API_SCOPE);
    const fail = (code: string, message: string): SsoResponse => ({
      status: 400,
      body: apiScope ? { error_code: code, error: message } : { error: code, error_description: message },
    });
    if (accept !== "application/json") {
      return fail("invalid_request", "Missing parameter: 'Accept Header'");
    }
    const grant = form.get("grant_type");
    if (grant !== "password") {
      return fail("unsupported_grant_type", `The authorization grant type '${grant ?? ""}' is not supported.`);
    }
    const username = form.get("username");
    const password = form.get("password");
    if (username === null || password === null) {
      return fail("invalid_request", `Missing parameter: '${username === null ? "username" : "password"}'`);
    }
    const user = this.login(username, password);
    if (user === undefined) {
      const at = username.lastIndexOf("@");
      const shown = at < 0 ? `${username}@` : username;
      return fail("access_denied", `Cannot authenticate user '${shown}': The username or password is incorrect.`);
    }
    const token = randomBytes(32).toString("base64url");
    const validTo = this.tokenTtlMs === undefined ? Infinity : this.engine.clock.now() + this.tokenTtlMs;
    this.sessions.set(token, { userId: user.id, validTo });
    return {
      status: 200,
      body: {
        access_token: token,
        scope,
        exp: String(validTo === Infinity ? "9223372036854775807" : validTo),
        token_type: "bearer",
      },
    };
  }

  /** `POST /ovirt-engine/services/sso-logout`: revokes the token. */
  logout(form: URLSearchParams): void {
    const token = form.get("token");
    if (token !== null) {
      this.sessions.delete(token);
    }
  }

  /** Makes every issued token expire now (fault injection: expiry mid-run). */
  expireAll(): void {
    for (const session of this.sessions.values()) {
      session.validTo = this.engine.clock.now() - 1;
    }
  }

  /** The user behind an `Authorization` header; throws 401 otherwise. */
  authenticate(header: string | undefined): User {
    if (header?.startsWith("Bearer ") === true) {
      const session = this.sessions.get(header.slice("Bearer ".length).trim());
      if (session === undefined || session.validTo <= this.engine.clock.now()) {
        throw unauthorized();
      }
      const user = this.engine.store.users.get(session.userId);
      if (user === undefined) {
        throw unauthorized();
      }
      return user;
    }
    if (header?.startsWith("Basic ") === true) {
      const decoded = Buffer.from(header.slice("Basic ".length).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const user = colon < 0 ? undefined : this.login(decoded.slice(0, colon), decoded.slice(colon + 1));
      if (user === undefined) {
        throw unauthorized();
      }
      return user;
    }
    throw unauthorized();
  }
}
