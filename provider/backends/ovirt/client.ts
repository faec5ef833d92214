/**
 * A thin client for the oVirt engine REST API v4 (JSON): SSO login with a
 * cached Bearer token (one login at a time, however many calls wait for it)
 * and one re-login on 401, TLS verified against a CA file unless turned off
 * by name, a `Correlation-Id` on every call, faults translated into typed
 * errors at this boundary, and retries with backoff for answers that may
 * succeed later. Every request, logins included, holds a permit of the
 * engine's {@link RequestLimiter} when one is given. It never logs or
 * returns headers or whole bodies.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import * as http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

import { BackendError, ConfigurationError, NotFoundError, type ErrorContext } from "../../errors";
import { calculateBackoff, DEFAULT_RETRY, type RetryPolicy } from "../retry";
import type { RequestLimiter } from "./request-limiter";

/**
 * Attempts for answers that say the engine is overloaded (429, 503): at least
 * this many, whatever the policy, since an engine working through a burst
 * recovers within tens of seconds (about 45 s of backoff with the default
 * policy) and the request never ran.
 */
const OVERLOAD_ATTEMPTS = 10;
/** The longest `Retry-After` honoured, in ms. */
const MAX_RETRY_AFTER_MS = 60_000;

/** How to reach one engine. */
export interface OvirtConnection {
  /** The API URL, e.g. `https://engine.example.com/ovirt-engine/api`. */
  readonly url: string;
  /** Profile login, e.g. `admin@internal`. */
  readonly username: string;
  /** Password of that login. */
  readonly password: string;
  /** PEM file with the CA that signed the engine's certificate; the system CAs when absent. */
  readonly caFile: string | undefined;
  /** Skip TLS verification. Only when the user asked for it by name. */
  readonly insecure: boolean;
}

/** One call's options. */
export interface OvirtCallOptions {
  /** JSON body for POST and PUT. */
  readonly body?: unknown;
  /** Query parameters. */
  readonly query?: Record<string, string>;
  /** Correlation id sent with the call; the engine attaches it to its jobs. */
  readonly correlationId?: string;
  /**
   * Whether repeating the call is harmless. Only idempotent calls are retried
   * after a dropped connection; a create is not, because the engine may have
   * run it.
   */
  readonly idempotent: boolean;
}

/** A successful answer. */
export interface OvirtAnswer {
  readonly status: number;
  /** Parsed JSON, or undefined for an empty body. */
  readonly body: unknown;
}

/** The engine's error body. */
interface Fault {
  reason?: unknown;
  detail?: unknown;
}

/** The text of a fault, e.g. `Operation Failed: [Cannot edit VM-Pool. ...]`. */
export function describeFault(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) {
    return undefined;
  }
  const nested = (body as { fault?: unknown }).fault;
  const fault = (typeof nested === "object" && nested !== null ? nested : body) as Fault;
  const reason = typeof fault.reason === "string" ? fault.reason : undefined;
  const detail = typeof fault.detail === "string" ? fault.detail : undefined;
  if (reason === undefined && detail === undefined) {
    return undefined;
  }
  return [reason, detail].filter((p) => p !== undefined && p !== "").join(": ");
}

/** Whether a 409 says another operation holds the object's lock (worth retrying). */
export function isOperationInProgress(body: unknown): boolean {
  return describeFault(body)?.includes("Related operation is currently in progress") === true;
}

/** An answer as the transport saw it. */
interface RawAnswer {
  readonly status: number;
  readonly text: string;
  /** `Retry-After` in ms, when the answer carried one. */
  readonly retryAfterMs: number | undefined;
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") {
    return undefined;
  }
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

/** Whether a status says the engine is overloaded and did not run the request. */
function isOverload(status: number): boolean {
  return status === 429 || status === 503;
}

class TransportError extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
  ) {
    super(message);
  }
}

/**
 * The REST client. One per connection and provider process (see
 * `getOvirtClient`): it keeps its token and its TLS connections across
 * operations and resources.
 */
export class OvirtClient {
  private token: string | undefined;
  /** The login in progress, which every call needing a token waits for. */
  private pendingLogin: Promise<string> | undefined;
  private refused = false;
  private readonly origin: string;
  private readonly apiPath: string;
  private readonly agent: https.Agent | undefined;

  constructor(
    private readonly connection: OvirtConnection,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    /** The engine's limiter of requests in flight, shared by every client of the process; none means no limit. */
    private readonly limiter?: RequestLimiter,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(connection.url);
    } catch {
      throw new ConfigurationError(`'vmpools:ovirtUrl' is not a URL: '${connection.url}'; expected e.g. https://engine.example.com/ovirt-engine/api`);
    }
    this.origin = parsed.origin;
    this.apiPath = parsed.pathname.replace(/\/+$/, "");
    if (parsed.protocol === "https:") {
      let ca: string | undefined;
      if (connection.caFile !== undefined) {
        try {
          ca = fs.readFileSync(connection.caFile, "utf8");
        } catch (err) {
          throw new ConfigurationError(`cannot read the CA file '${connection.caFile}' from 'vmpools:ovirtCaFile': ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      this.agent = new https.Agent({ ...(ca === undefined ? {} : { ca }), rejectUnauthorized: !connection.insecure, keepAlive: true });
    }
  }

  /**
   * False once the engine refused this client's credentials (a refused
   * login, or 401 right after a new login): a cached client is then
   * replaced by a new one, which reads the credentials afresh.
   */
  get usable(): boolean {
    return !this.refused;
  }

  /** Releases pooled connections. */
  close(): void {
    this.agent?.destroy();
  }

  /** Sends one request holding a permit of the limiter, and tells the limiter how the engine answered. */
  private async send(method: string, url: URL, headers: Record<string, string>, payload: string | undefined): Promise<RawAnswer> {
    const permit = await this.limiter?.acquire();
    try {
      const answer = await this.sendNow(method, url, headers, payload);
      if (isOverload(answer.status)) {
        permit?.overloaded();
      } else {
        permit?.succeeded();
      }
      return answer;
    } finally {
      permit?.release();
    }
  }

  private sendNow(method: string, url: URL, headers: Record<string, string>, payload: string | undefined): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      let sent = false;
      const lib = url.protocol === "https:" ? https : http;
      const req = lib.request(url, { method, headers, ...(this.agent === undefined ? {} : { agent: this.agent }), timeout: 120_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const retryAfter: string | undefined = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), retryAfterMs: parseRetryAfter(retryAfter) });
        });
        res.on("error", (err) => {
          reject(new TransportError(err.message, true));
        });
      });
      req.on("finish", () => {
        sent = true;
      });
      req.on("timeout", () => {
        req.destroy(new Error("no answer within 120 s"));
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        const tls = err.code?.startsWith("ERR_TLS") === true || /certificate|self.signed/i.test(err.message);
        reject(
          tls
            ? new ConfigurationError(`TLS verification of ${url.origin} failed (${err.message}); set 'vmpools:ovirtCaFile' to the engine's CA certificate, or 'vmpools:ovirtInsecure' to true to skip verification`)
            : new TransportError(err.message, sent),
        );
      });
      if (payload !== undefined) {
        req.write(payload);
      }
      req.end();
    });
  }

  /**
   * Gets a token by the password grant. Retried like an idempotent call
   * (a login changes nothing); a refusal marks the client unusable.
   */
  private async login(ctx: ErrorContext): Promise<string> {
    const form = new URLSearchParams({ grant_type: "password", scope: "ovirt-app-api", username: this.connection.username, password: this.connection.password }).toString();
    const headers = { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(form)) };
    let answer: RawAnswer;
    for (let attempt = 1; ; attempt++) {
      try {
        answer = await this.send("POST", new URL("/ovirt-engine/sso/oauth/token", this.origin), headers, form);
      } catch (err) {
        if (ConfigurationError.isInstance(err)) {
          throw err;
        }
        if (attempt < this.retry.attempts) {
          await sleep(calculateBackoff(this.retry, attempt));
          continue;
        }
        throw new BackendError(ctx, `cannot reach the engine's SSO at ${this.origin}: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
      }
      if (answer.status >= 500 || answer.status === 429) {
        if (attempt < (isOverload(answer.status) ? Math.max(OVERLOAD_ATTEMPTS, this.retry.attempts) : this.retry.attempts)) {
          await sleep(Math.max(calculateBackoff(this.retry, attempt), answer.retryAfterMs ?? 0));
          continue;
        }
        throw new BackendError(ctx, `the engine's SSO at ${this.origin} answered HTTP ${answer.status}`, { status: answer.status, retryable: true });
      }
      break;
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      // handled below
    }
    if (answer.status === 200 && typeof body["access_token"] === "string") {
      return body["access_token"];
    }
    this.refused = true;
    const code = typeof body["error_code"] === "string" ? body["error_code"] : typeof body["error"] === "string" ? body["error"] : `HTTP ${answer.status}`;
    const message = typeof body["error_code"] === "string" && typeof body["error"] === "string" ? body["error"] : typeof body["error_description"] === "string" ? body["error_description"] : "";
    throw new ConfigurationError(`the engine refused the login of '${this.connection.username}' (${code}${message === "" ? "" : `: ${message}`}); check 'vmpools:ovirtUsername' and 'vmpools:ovirtPassword' (or OVIRT_USERNAME / OVIRT_PASSWORD)`);
  }

  /** The current token, logging in when there is none; concurrent callers share one login. */
  private async getToken(ctx: ErrorContext): Promise<string> {
    if (this.token !== undefined) {
      return this.token;
    }
    this.pendingLogin ??= this.login(ctx).finally(() => {
      this.pendingLogin = undefined;
    });
    const token = await this.pendingLogin;
    this.token = token;
    return token;
  }

  /**
   * Calls the API. Resolves with 2xx answers; throws {@link NotFoundError} on
   * 404 and {@link BackendError} otherwise. Retries 503, 429 (honouring
   * `Retry-After`, with a longer budget: the engine did not run the call) and
   * "operation in progress" conflicts with backoff; other 5xx and dropped
   * connections only for idempotent calls (the engine may have run the
   * call); logs in again once on 401.
   */
  async call(ctx: ErrorContext, method: string, path: string, options: OvirtCallOptions): Promise<OvirtAnswer> {
    const url = new URL(`${this.apiPath}${path}`, this.origin);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      url.searchParams.set(k, v);
    }
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    let relogged = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.getToken(ctx);
      const headers: Record<string, string> = {
        Accept: "application/json",
        Version: "4",
        Authorization: `Bearer ${token}`,
        ...(options.correlationId === undefined ? {} : { "Correlation-Id": options.correlationId }),
        ...(payload === undefined ? {} : { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(payload)) }),
      };
      let answer: RawAnswer;
      try {
        answer = await this.send(method, url, headers, payload);
      } catch (err) {
        if (!(err instanceof TransportError)) {
          throw err;
        }
        const mayRetry = options.idempotent || !err.sent;
        if (!mayRetry || attempt >= this.retry.attempts) {
          throw new BackendError(ctx, `the connection to the engine failed${err.sent ? " after the request was sent, so the engine may have run it" : ""}: ${err.message}`, { retryable: true });
        }
        await sleep(calculateBackoff(this.retry, attempt));
        continue;
      }
      let body: unknown;
      try {
        body = answer.text === "" ? undefined : JSON.parse(answer.text);
      } catch {
        body = undefined;
      }
      if (answer.status >= 200 && answer.status < 300) {
        return { status: answer.status, body };
      }
      if (answer.status === 401 && !relogged) {
        // Tokens cannot be refreshed; an expired one gets 401 and a new login
        // (unless another call already replaced it).
        relogged = true;
        if (this.token === token) {
          this.token = undefined;
        }
        continue;
      }
      if (answer.status === 401) {
        // Refused right after a new login: the credentials no longer work.
        this.refused = true;
      }
      const fault = describeFault(body);
      if (answer.status === 404) {
        throw new NotFoundError(ctx, fault ?? `${method} ${path} found nothing`);
      }
      const retryable = answer.status >= 500 || answer.status === 429 || (answer.status === 409 && isOperationInProgress(body));
      // 503 (the proxy found no engine), 429 and "in progress" mean the
      // engine did not run the call. Other 5xx may come after it did (a
      // gateway timing out on a slow command), so repeating a call that is
      // not idempotent could run it twice: the caller's lost-answer handling
      // decides instead.
      const notRun = answer.status === 503 || answer.status === 429 || answer.status === 409;
      const budget = isOverload(answer.status) ? Math.max(OVERLOAD_ATTEMPTS, this.retry.attempts) : this.retry.attempts;
      if (retryable && (options.idempotent || notRun) && attempt < budget) {
        await sleep(Math.max(calculateBackoff(this.retry, attempt), answer.retryAfterMs ?? 0));
        continue;
      }
      const hint = answer.status === 401 ? "; the engine refused the credentials" : answer.status === 403 ? "; the user lacks a role for this (e.g. VmPoolAdmin on the pool or cluster)" : "";
      throw new BackendError(ctx, `${fault ?? `HTTP ${answer.status}`}${hint}`, { status: answer.status, retryable });
    }
  }
}
