/**
 * The oVirt engine sandbox: an HTTP(S) server on loopback that speaks the
 * engine's REST API v4 (JSON) and SSO, backed by the emulated engine, with
 * the control API beside it under `/__sandbox/`.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { generate } from "selfsigned";

import { routeApiRequest, type ApiRequest, type ApiResponse } from "./api-routes";
import { Authenticator } from "./auth";
import { parseBody, type Body } from "./body";
import { SystemClock, type EngineClock } from "./clock";
import { CONTROL_PREFIX, SandboxControl } from "./control";
import { Engine } from "./engine";
import { FaultInjector, RequestLog, isActionRequest, relatedOperationInProgress } from "./fault-injection";
import { EngineFault } from "./faults";
import { TEST_TIMINGS, type EngineTimings } from "./model";
import { ConcurrencyGate } from "./overload";
import { applySeed, defaultSeed, seedBuiltIns, type SeedData } from "./seed";
import { parseXmlBody, toXml, toXmlShape } from "./xml";

/** How to start a sandbox. Every field is optional. */
export interface SandboxOptions {
  /** Serve HTTPS with a generated self-signed certificate. @default true */
  tls?: boolean;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** The engine's clock. @default real time */
  clock?: EngineClock;
  /** Delays of asynchronous work. @default TEST_TIMINGS (milliseconds) */
  timings?: EngineTimings;
  /** SSO token lifetime in clock ms. @default no expiry (as an authn record without one) */
  tokenTtlMs?: number;
  /** Password of `admin@internal`. @default "sandbox-admin" */
  adminPassword?: string;
  /** Seed data; `false` for only the built-ins. @default the pool-ready default seed */
  seed?: SeedData | false;
  /** Start the periodic prestart monitor. @default true */
  prestartMonitor?: boolean;
  /**
   * Answer 503 (no body, engine untouched) to API and SSO requests arriving
   * while this many are in flight, as an overloaded engine's proxy does.
   * @default off
   */
  maxConcurrentRequests?: number;
}

/** A running sandbox. */
export interface OvirtSandbox {
  /** `https://127.0.0.1:<port>/ovirt-engine/api`. */
  readonly url: string;
  /** `https://127.0.0.1:<port>`, for SSO paths. */
  readonly origin: string;
  /** The CA certificate (PEM) that verifies the server; undefined over plain HTTP. */
  readonly caPem: string | undefined;
  /** The admin login and password. */
  readonly credentials: { username: string; password: string };
  /** The control API. */
  readonly control: SandboxControl;
  /** Stops the server and every timer. */
  close(): Promise<void>;
}

const API_PREFIXES = ["/ovirt-engine/api/v4", "/ovirt-engine/api"];
const SUPPORTED_VERSIONS = new Set(["3", "4"]);

async function readRaw(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The path below the API root, or undefined for SSO and unknown paths. */
function toApiPath(pathname: string): string | undefined {
  const prefix = API_PREFIXES.find((p) => pathname === p || pathname.startsWith(`${p}/`));
  return prefix === undefined ? undefined : pathname.slice(prefix.length);
}

/**
 * Whether the client gets XML. The engine produces XML first, so XML is the
 * answer unless `Accept` asks for JSON (and not XML before it).
 */
export function wantsXml(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") {
    return true;
  }
  const json = accept.indexOf("json");
  const xml = accept.indexOf("xml");
  return json < 0 || (xml >= 0 && xml < json);
}

/** A request body in JSON or XML, by `Content-Type` (or its first character when absent). */
function parseRequestBody(raw: string, contentType: string | undefined): Body {
  const isXml = contentType === undefined ? raw.trimStart().startsWith("<") : contentType.includes("xml");
  return isXml ? parseXmlBody(raw) : parseBody(raw);
}

function sendXml(res: http.ServerResponse, answer: ApiResponse, method: string, apiPath: string): void {
  const body = answer.body as Record<string, unknown>;
  const isFault = answer.status >= 400 && "reason" in body && !("status" in body);
  const shape = isFault ? { root: "fault" } : toXmlShape(method, apiPath);
  const text = toXml(body, shape.root, shape.collection);
  res.writeHead(answer.status, { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(text), ...(answer.headers ?? {}) });
  res.end(text);
}

/** `Correlation-Id`: characters outside `[0-9a-zA-Z_-]` stripped, at most 36; a UUID when absent. */
export function toCorrelationId(header: string | null | undefined): string {
  const cleaned = (header ?? "").replace(/[^0-9a-zA-Z_-]/g, "").slice(0, 36);
  return cleaned === "" ? randomUUID() : cleaned;
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Starts a sandbox; resolves once it listens. */
export async function startOvirtSandbox(options: SandboxOptions = {}): Promise<OvirtSandbox> {
  const clock = options.clock ?? new SystemClock();
  const engine = new Engine(clock, options.timings ?? TEST_TIMINGS);
  const adminPassword = options.adminPassword ?? "sandbox-admin";
  seedBuiltIns(engine);
  if (options.seed !== false) {
    applySeed(engine, options.seed ?? defaultSeed(adminPassword));
  }
  if (options.prestartMonitor !== false) {
    engine.startPrestartMonitor();
  }
  const auth = new Authenticator(engine, options.tokenTtlMs);
  const faults = new FaultInjector();
  const requests = new RequestLog();
  const gate = new ConcurrencyGate(options.maxConcurrentRequests);
  const control = new SandboxControl(engine, auth, faults, requests, gate);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const method = (req.method ?? "GET").toUpperCase();
    const raw = await readRaw(req);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      let body: unknown;
      try {
        body = raw.trim() === "" ? {} : JSON.parse(raw);
      } catch {
        sendJson(res, 400, { error: "control request body is not JSON" });
        return;
      }
      const answer = control.handleHttp(method, url.pathname, body);
      sendJson(res, answer.status, answer.body);
      return;
    }

    requests.record(method, url.pathname);
    if (!gate.enter()) {
      // The proxy found every connection to the engine busy: the engine never sees it.
      sendJson(res, 503, undefined);
      return;
    }
    try {
      await answerAdmitted(req, res, method, url, raw);
    } finally {
      gate.leave();
    }
  };

  /** Answers an API or SSO request admitted by the gate: faults first, then the engine. */
  const answerAdmitted = async (req: http.IncomingMessage, res: http.ServerResponse, method: string, url: URL, raw: string): Promise<void> => {
    const fault = faults.decide(method, url.pathname);
    if (fault.latencyMs > 0) {
      await sleep(fault.latencyMs);
    }
    if (fault.drop === "before") {
      req.socket.destroy();
      return;
    }
    if (fault.error?.phase === "before") {
      sendJson(res, fault.error.status, undefined);
      return;
    }
    if (fault.expireTokens) {
      auth.expireAll();
    }
    const answer = answerRequest(req, method, url, raw, fault.conflict);
    if (fault.drop === "after") {
      // The engine ran the request; only its answer is lost.
      req.socket.destroy();
      return;
    }
    if (fault.error?.phase === "after") {
      // The engine ran the request; the gateway in front of it answers an error instead.
      sendJson(res, fault.error.status, undefined);
      return;
    }
    const apiPath = toApiPath(url.pathname);
    if (apiPath !== undefined && answer.body !== undefined && wantsXml(headerValue(req, "accept"))) {
      sendXml(res, answer, method, apiPath);
      return;
    }
    sendJson(res, answer.status, answer.body, answer.headers);
  };

  /** Runs one SSO or API request (faults other than the injected 409 are already applied). */
  const answerRequest = (req: http.IncomingMessage, method: string, url: URL, raw: string, conflict: boolean): ApiResponse => {
    if (url.pathname === "/ovirt-engine/sso/oauth/token" && method === "POST") {
      return auth.token(headerValue(req, "accept"), new URLSearchParams(raw), headerValue(req, "authorization"));
    }
    if (url.pathname === "/ovirt-engine/services/sso-logout" && method === "POST") {
      auth.logout(new URLSearchParams(raw));
      // The engine answers with a JSON object: the Python SDK checks the
      // Content-Type and parses it when it revokes its token on close().
      return { status: 200, body: {} };
    }
    const prefix = API_PREFIXES.find((p) => url.pathname === p || url.pathname.startsWith(`${p}/`));
    try {
      if (prefix === undefined) {
        throw new EngineFault(404, undefined);
      }
      const version = headerValue(req, "version");
      if (version !== undefined && !SUPPORTED_VERSIONS.has(version.trim())) {
        throw new EngineFault(400, undefined);
      }
      const user = auth.authenticate(headerValue(req, "authorization"));
      const path = url.pathname.slice(prefix.length);
      const body = method === "POST" || method === "PUT" ? parseRequestBody(raw, headerValue(req, "content-type")) : {};
      if (conflict) {
        const locked = relatedOperationInProgress(method, path);
        // Actions answer with the echoed action, failed, holding the fault.
        return isActionRequest(method, path) && locked.body !== undefined
          ? { status: locked.status, body: { ...body, status: "failed", fault: locked.body } }
          : { status: locked.status, body: locked.body };
      }
      const apiReq: ApiRequest = {
        method,
        path,
        query: url.searchParams,
        body,
        ctx: { user, correlationId: toCorrelationId(headerValue(req, "correlation-id") ?? url.searchParams.get("correlation_id")) },
        allContent: (headerValue(req, "all-content") ?? url.searchParams.get("all_content")) === "true",
        async: url.searchParams.get("async") === "true" || headerValue(req, "expect") === "202-accepted",
      };
      return routeApiRequest(engine, apiReq);
    } catch (err) {
      if (err instanceof EngineFault) {
        return { status: err.status, body: err.body, headers: err.headers };
      }
      return { status: 500, body: { reason: "Internal Server Error", detail: err instanceof Error ? err.message : String(err) } };
    }
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { reason: "Internal Server Error", detail: err instanceof Error ? err.message : String(err) });
      }
    });
  };

  let caPem: string | undefined;
  let server: http.Server | https.Server;
  if (options.tls === false) {
    server = http.createServer(listener);
  } else {
    const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
      keySize: 2048,
      algorithm: "sha256",
      extensions: [
        { name: "basicConstraints", cA: true },
        { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
      ],
    });
    caPem = pems.cert;
    server = https.createServer({ key: pems.private, cert: pems.cert }, listener);
  }
  // `Expect: 202-accepted` / `201-created` are the engine's own expectations:
  // answer them like any request instead of Node's automatic 417.
  server.on("checkExpectation", listener);
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `${options.tls === false ? "http" : "https"}://127.0.0.1:${port}`;
  return {
    url: `${origin}/ovirt-engine/api`,
    origin,
    caPem,
    credentials: { username: "admin@internal", password: adminPassword },
    control,
    close: async () => {
      clock.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
