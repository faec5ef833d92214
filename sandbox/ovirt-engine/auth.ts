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

/** An SSO answer: status and JSON body (undefined for none). */
export interface SsoResponse {
  status: number;
  body: Record<string, string> | undefined;
}

/** `SsoConstants.ERR_CODE_UNSUPPORTED_GRANT_TYPE_MSG`. */
const UNSUPPORTED_GRANT_TYPE_MSG = "The authorization grant type is not supported by the authorization server.";
/** `SsoConstants.ERR_CODE_UNAUTHORIZED_CLIENT_MSG`. */
const UNAUTHORIZED_CLIENT_MSG = "The client is not authorized to request an authorization. It's required to access the system using FQDN.";
/** The SSO's `AppMessages.properties` texts used here. */
const SSO_MESSAGES = {
  USER_FAILED_TO_AUTHENTICATE: "Unable to log in. Verify your login information or contact the system administrator.",
  NO_USER_NAME_IN_CREDENTIALS: "No user name found in credentials.",
  NO_VALID_PROFILE_IN_CREDENTIALS: "No valid profile found in credentials.",
} as const;

/** A scope parameter as a list (`SsoService.scopeAsList`). */
function scopeList(scope: string): string[] {
  const trimmed = scope.trim();
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

/**
 * `SsoService.isRestApiScope`: the scope holds `ovirt-app-api` and neither
 * `ovirt-app-admin` nor `ovirt-app-portal`. Decides the shape of SSO error bodies.
 */
export function isRestApiScope(scope: string): boolean {
  const scopes = scopeList(scope);
  return scopes.includes(API_SCOPE) && !scopes.includes("ovirt-app-admin") && !scopes.includes("ovirt-app-portal");
}

/** Issued tokens and how to check credentials. */
export class Authenticator {
  private readonly sessions = new Map<string, Session>();
  /** Every token issued, logged out or not: tests scan output for them. */
  private readonly issued: string[] = [];

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

  /** The authentication profiles users log in with (`internal`, ...). */
  private profiles(): Set<string> {
    return new Set([...this.engine.store.users.values()].map((u) => u.profile));
  }

  /**
   * `POST /ovirt-engine/sso/oauth/token` (`OAuthTokenServlet.handleRequest`).
   * Errors are 400 with `{error_code, error}` for the REST API scope and
   * `{error, error_description}` otherwise. The order of the checks is the
   * engine's: `grant_type`, then the grant; for a password grant the
   * username and password parameters, the credentials, and only then the
   * exact `Accept: application/json`.
   */
  token(accept: string | undefined, form: URLSearchParams, authorization?: string): SsoResponse {
    const scope = form.get("scope") ?? "";
    const fail = (code: string, message: string): SsoResponse => ({
      status: 400,
      body: isRestApiScope(scope) ? { error_code: code, error: message } : { error: code, error_description: message },
    });
    const grant = form.get("grant_type");
    switch (grant) {
      case null:
        return fail("invalid_request", "Missing parameter: 'grant_type'");
      case "password":
        return this.passwordGrant(accept, form, scope, fail);
      case "authorization_code":
        return this.authorizationCodeGrant(form, authorization, fail);
      case "urn:ovirt:params:oauth:grant-type:http":
        // Kerberos / HTTP authentication: nothing here can negotiate, so the
        // header authentication fails with a bare 401 (inferred).
        return { status: 401, body: undefined };
      default:
        return fail("unsupported_grant_type", UNSUPPORTED_GRANT_TYPE_MSG);
    }
  }

  private passwordGrant(accept: string | undefined, form: URLSearchParams, scope: string, fail: (code: string, message: string) => SsoResponse): SsoResponse {
    const username = form.get("username");
    if (username === null) {
      return fail("invalid_request", "Missing parameter: 'username'");
    }
    const password = form.get("password");
    if (password === null) {
      return fail("invalid_request", "Missing parameter: 'password'");
    }
    // SsoService.translateUser: split at the last '@'; an empty profile is no profile.
    const at = username.lastIndexOf("@");
    const principal = at < 0 ? username : username.slice(0, at);
    const profile = at < 0 || at === username.length - 1 ? undefined : username.slice(at + 1);
    // CANNOT_AUTHENTICATE_USER_IN_DOMAIN=Cannot authenticate user '%1$s@%2$s': %3$s.
    const denied = (reason: string): SsoResponse => fail("access_denied", `Cannot authenticate user '${principal}@${profile ?? "N/A"}': ${reason}.`);
    if (principal === "") {
      return denied(SSO_MESSAGES.NO_USER_NAME_IN_CREDENTIALS);
    }
    if (profile === undefined || !this.profiles().has(profile)) {
      return denied(SSO_MESSAGES.NO_VALID_PROFILE_IN_CREDENTIALS);
    }
    const user = this.login(username, password);
    if (user === undefined) {
      return denied(SSO_MESSAGES.USER_FAILED_TO_AUTHENTICATE);
    }
    if (accept !== "application/json") {
      return fail("invalid_request", "Missing parameter: 'Accept Header'");
    }
    const token = randomBytes(32).toString("base64url");
    const validTo = this.tokenTtlMs === undefined ? Infinity : this.engine.clock.now() + this.tokenTtlMs;
    this.sessions.set(token, { userId: user.id, validTo });
    this.issued.push(token);
    return {
      status: 200,
      body: {
        access_token: token,
        scope,
        exp: validTo === Infinity ? "9223372036854775807" : String(validTo),
        token_type: "bearer",
      },
    };
  }

  /**
   * `authorization_code`: the client must identify itself (form fields or
   * Basic header); the sandbox has no registered SSO clients (inferred).
   */
  private authorizationCodeGrant(form: URLSearchParams, authorization: string | undefined, fail: (code: string, message: string) => SsoResponse): SsoResponse {
    let clientId = form.get("client_id") ?? "";
    let clientSecret = form.get("client_secret") ?? "";
    if (clientId === "" && clientSecret === "" && authorization?.startsWith("Basic") === true) {
      const decoded = Buffer.from(authorization.slice("Basic".length).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon >= 0) {
        clientId = decoded.slice(0, colon);
        clientSecret = decoded.slice(colon + 1);
      }
    }
    if (clientId === "") {
      return fail("invalid_request", "Missing parameter: 'client_id'");
    }
    if (clientSecret === "") {
      return fail("invalid_request", "Missing parameter: 'client_secret'");
    }
    return fail("unauthorized_client", UNAUTHORIZED_CLIENT_MSG);
  }

  /** `POST /ovirt-engine/services/sso-logout`: revokes the token. */
  logout(form: URLSearchParams): void {
    const token = form.get("token");
    if (token !== null) {
      this.sessions.delete(token);
    }
  }

  /** Makes every issued token expire now (fault injection: expiry mid-run). */
  /** Every token issued so far, also those logged out or expired. */
  issuedTokens(): string[] {
    return [...this.issued];
  }

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
